import { describe, expect, it } from 'vitest';
import { ProviderEvent } from '../../shared/events/provider-event.ts';

describe('Module: validation/zod (Zod Mini for the functions)', () => {
  // The functions load no classic Zod, which would set the English messages for everyone.
  it('explains an issue in English, as problem details quote it', () => {
    const parsed = ProviderEvent.safeParse({ event: 'hung-up', call_session_id: 1 });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(
      'Invalid option: expected one of "answered"|"ended"',
    );
  });
});
