import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildFunctionBundle } from '../support/function-bundle.ts';

const run = promisify(execFile);

const SDK_CLIENTS = [
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/client-secrets-manager',
  '@aws-sdk/client-sqs',
  '@aws-sdk/client-ssm',
] as const;

/**
 * The SDK clients a function's production bundle loads when a fresh Node process imports it (as
 * Lambda's init does), read from the process's `require` cache after the import.
 */
const clientsLoadedAtImport = async (
  name: string,
  env: NodeJS.ProcessEnv = {},
): Promise<string[]> => {
  const built = await buildFunctionBundle(name);
  const bundle = built.outputFiles[0]?.text ?? '';
  // Evaluated from stdin in the project's folder, so the external SDK resolves from its
  // node_modules as it does from the Lambda runtime's; the last line runs after the bundle's.
  const probe = `${bundle}
import { createRequire as __probeRequire } from 'node:module';
console.log(JSON.stringify(Object.keys(__probeRequire(import.meta.url).cache)));`;
  const child = run(process.execPath, ['--input-type=module'], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
  });
  child.child.stdin?.end(probe);
  const loaded = JSON.parse((await child).stdout) as string[];
  return SDK_CLIENTS.filter((client) => loaded.some((path) => path.includes(`/${client}/`)));
};

describe('The SDK clients a function loads at import', () => {
  it('are, for the sweeper, DynamoDB alone: SQS and Secrets Manager wait for a due call', async () => {
    expect(await clientsLoadedAtImport('sweeper')).toEqual(['@aws-sdk/client-dynamodb']);
  });

  it('are, for ingest, all three: every webhook reads a secret and enqueues', async () => {
    expect(await clientsLoadedAtImport('ingest')).toEqual([
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/client-secrets-manager',
      '@aws-sdk/client-sqs',
    ]);
  });

  it('are, for ingest with secretStore=parameter-store, SSM in place of Secrets Manager', async () => {
    expect(
      await clientsLoadedAtImport('ingest', { CALLHOOK_SECRET_STORE: 'parameter-store' }),
    ).toEqual(['@aws-sdk/client-dynamodb', '@aws-sdk/client-sqs', '@aws-sdk/client-ssm']);
  });
});
