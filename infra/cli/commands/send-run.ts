import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  FileSecretStore,
  SecretsFileError,
} from '../../../shared/adapters/local/file-secret-store.ts';
import { ConfigError, loadConfigFile } from '../../../shared/config/load.ts';
import { SecretUnusableError } from '../../../shared/secrets/secret-shapes.ts';
import { BridgeUnreachableError, describeResult, SendError, sendSample } from '../../local/send.ts';
import { exitForStatus } from '../api-client.ts';
import { apiUrlOf } from '../api-target.ts';
import { parseCommandArgs } from '../args.ts';
import type { ExitName } from '../exit-codes.ts';
import { CliError } from '../exit-codes.ts';
import { printable } from '../format.ts';
import type { CliIo } from '../io.ts';

const OPTIONS = { phone: { type: 'string' }, url: { type: 'string' } } as const;

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

/** What the command cannot do with the config, the secrets or the payload: the message says what to fix. */
const UNUSABLE = [ConfigError, SecretsFileError, SecretUnusableError, SendError];

/**
 * What `callhook send` and `npm run send` do (see send.ts): load the config and the secrets,
 * build the route's sample request (`infra/local/send.ts`), post it and print the answer.
 * Loaded only by that command: the config's and senders' modules are most of its start-up.
 */
export const runSend = async (argv: readonly string[], io: CliIo): Promise<ExitName> => {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS, {
    min: 1,
    max: 2,
    names: '<route> and at most a payload file',
  });
  const [route = '', payloadFile] = positionals;
  const { url } = apiUrlOf(values.url, io.env);
  try {
    const config = await loadConfigFile(resolve(io.env.CALLHOOK_CONFIG ?? 'callhook.config.json'));
    const secrets = new FileSecretStore(
      resolve(io.env.CALLHOOK_SECRETS_FILE ?? 'callhook.secrets.local.json'),
    );
    const result = await sendSample({
      config,
      route,
      secrets,
      bridgeUrl: url.href.replace(/\/+$/, ''),
      ...(payloadFile !== undefined && { payload: await readPayload(payloadFile) }),
      ...(values.phone !== undefined && { phone: values.phone }),
    });
    // The answer is whatever the server sent: each line shown as text, never to the terminal.
    io.stdout(describeResult(result).split('\n').map(printable).join('\n'));
    return result.status >= 200 && result.status <= 299 ? 'ok' : exitForStatus(result.status);
  } catch (error) {
    if (error instanceof BridgeUnreachableError) throw new CliError('unreachable', error.message);
    if (UNUSABLE.some((kind) => error instanceof kind))
      throw new CliError('usage', (error as Error).message);
    throw error;
  }
};
