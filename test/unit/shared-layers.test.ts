import { describe, expect, it } from 'vitest';
import { upwardImports } from '../../infra/shared-layers.ts';

describe('The layers of shared/ (npm run deps:layers)', () => {
  it('run upwards at run time only where a secret shape is a backend credential', async () => {
    // The two shape checks of the Call API's credentials read its own schemas: one place for
    // what a Call API or Data API key looks like, at the price of these two arrows.
    expect(await upwardImports(true)).toEqual([
      'secrets/secret-shapes.ts → backends/callapi/api/account.ts',
      'secrets/secret-shapes.ts → backends/callapi/data-api/credentials.ts',
    ]);
  }, 30_000);
});
