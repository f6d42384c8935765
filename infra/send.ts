import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FileSecretStore, SecretsFileError } from '../shared/adapters/local/file-secret-store.ts';
import { ConfigError, loadConfigFile } from '../shared/config/load.ts';
import { SecretUnusableError } from '../shared/config/secret-shapes.ts';
import { describeResult, SendError, sendSample } from './local/send.ts';

/**
 * `npm run send -- <route> [payload.json] [--phone <number>]`: posts a webhook to the route on
 * the local runtime (`npm start`) as its sender would, signed with the route's secret from the
 * local secrets file, and prints the status and the answer. Exit code 0 for a 2xx answer.
 */
const USAGE = 'usage: npm run send -- <route> [payload.json] [--phone <number>]';

const env = process.env;

const readPayload = async (file: string): Promise<Record<string, unknown>> => {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new SendError(
      `${file}: ${error instanceof SyntaxError ? 'not valid JSON' : 'cannot be read'}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SendError(`${file}: the payload must be a JSON object`);
  }
  return value as Record<string, unknown>;
};

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { phone: { type: 'string' } },
  });
  const [route, payloadFile, ...rest] = positionals;
  if (route === undefined || rest.length > 0) throw new SendError(USAGE);
  const config = await loadConfigFile(resolve(env.CALLHOOK_CONFIG ?? 'callhook.config.json'));
  const secrets = new FileSecretStore(
    resolve(env.CALLHOOK_SECRETS_FILE ?? 'callhook.secrets.local.json'),
  );
  const port = env.PORT === undefined || env.PORT === '' ? '3000' : env.PORT;
  const result = await sendSample({
    config,
    route,
    secrets,
    bridgeUrl: `http://127.0.0.1:${port}`,
    ...(payloadFile !== undefined && { payload: await readPayload(payloadFile) }),
    ...(values.phone !== undefined && { phone: values.phone }),
  });
  console.log(describeResult(result));
  if (result.status < 200 || result.status > 299) process.exitCode = 1;
} catch (error) {
  const known = [ConfigError, SecretsFileError, SecretUnusableError, SendError];
  // parseArgs's own errors (an unknown option, a missing value) have a code and a plain message.
  const badArgs = String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
  if (!badArgs && !known.some((kind) => error instanceof kind)) throw error;
  console.error(badArgs ? `${(error as Error).message}\n${USAGE}` : (error as Error).message);
  process.exitCode = 1;
}
