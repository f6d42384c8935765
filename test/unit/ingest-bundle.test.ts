import { describe, expect, it } from 'vitest';
import { buildFunctionBundle } from '../support/function-bundle.ts';

describe('The ingest bundle', () => {
  it('carries no classic zod, no backend client, no luxon and no import of the SDK: only what mapping an event uses', async () => {
    const built = await buildFunctionBundle('ingest');
    const inputs = Object.keys(built.metafile.inputs);

    expect(inputs.filter((path) => /zod\/(v4\/classic|index\.js)/.test(path))).toEqual([]);
    expect(inputs.filter((path) => path.endsWith('shared/senders/auth-schemas.ts'))).toEqual([]);
    // The backends' clients are in their own registry, which ingest does not import.
    expect(
      inputs.filter((path) =>
        /shared\/backends\/(client-registry|callapi\/(call-api-backend|jsonrpc|data-api\/(client|reports)|probe)|jaicp\/(jaicp-backend|jaicp-client\.ts|probe))/.test(
          path,
        ),
      ),
    ).toEqual([]);
    // The calling hours read the runtime's own zone database (shared/routes/zoned-time.ts).
    expect(inputs.filter((path) => path.includes('node_modules/luxon'))).toEqual([]);
    // The AWS SDK is loaded with require (shared/adapters/aws/sdk/), never imported: Node
    // would scan each of its CommonJS packages whole to import it into an ES module.
    const sdkImports = Object.values(built.metafile.inputs).flatMap((input) =>
      input.imports.filter((imported) => imported.path.startsWith('@aws-sdk/')),
    );
    expect(sdkImports).toEqual([]);
    // The mapping registry is there: ingest still builds each backend's request.
    expect(inputs.some((path) => path.endsWith('shared/backends/registry.ts'))).toBe(true);
    // Its verifiers are there: the check is of a real bundle.
    expect(inputs.some((path) => path.endsWith('shared/senders/shopify.ts'))).toBe(true);
  });
});
