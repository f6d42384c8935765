import { createHash } from 'node:crypto';
import { CallApiAccount, CallApiCredentials } from '../callapi/account.ts';
import { CallApiClient } from '../callapi/client.ts';
import { endpointUrl, PROVIDER_HOSTS } from '../callapi/providers.ts';
import type { TransportTimeouts } from '../callapi/transport.ts';
import type { CallApiAccountConfig } from '../config/schema.ts';
import {
  readSecret,
  type SecretShape,
  SecretUnusableError,
  secretMnemonic,
} from '../config/secret-shapes.ts';
import type { SecretStore } from '../config/secrets.ts';
import type { Logger } from '../logging/logger.ts';
import { BackendError } from './backend-error.ts';

export interface ConnectionSettings {
  secrets: SecretStore;
  /** Where `provider: "simulator"` points; only the local runtime sets it. */
  simulatorUrl?: string;
  /** Where a JAICP account with `provider: "simulator"` points; only the local runtime sets it. */
  jaicpSimulatorUrl?: string;
  timeouts?: TransportTimeouts;
  logger?: Pick<Logger, 'warn'>;
}

// Per container: clients keep their keep-alive sockets, accounts keep their login sessions.
const accounts = new Map<string, CallApiAccount>();

const baseUrlOf = (account: CallApiAccountConfig, simulatorUrl: string | undefined): string => {
  if (account.base_url !== undefined) return account.base_url;
  if (account.provider === 'simulator') {
    if (simulatorUrl === undefined) throw new Error('provider "simulator" exists only locally');
    return simulatorUrl;
  }
  if (account.provider === undefined) throw new Error('account without provider or base_url');
  return PROVIDER_HOSTS[account.provider];
};

/**
 * Reads an account's secret for a backend. A missing or malformed one is a configuration error:
 * the call fails at once with `secret_missing` or `secret_invalid`, naming the secret (never its
 * value), instead of being retried as if the provider were unreachable.
 */
export const accountSecret = async (
  settings: ConnectionSettings,
  name: string,
  shape: SecretShape,
): Promise<string> => {
  try {
    return await readSecret(settings.secrets, name, shape);
  } catch (error) {
    if (!(error instanceof SecretUnusableError)) throw error;
    throw new BackendError(
      { classification: 'config', mnemonic: secretMnemonic(error), message: error.message },
      { cause: error },
    );
  }
};

/** The Call API account behind a configured account, built once per endpoint and credentials. */
export const connectAccount = async (
  account: CallApiAccountConfig,
  settings: ConnectionSettings,
): Promise<CallApiAccount> => {
  const url = endpointUrl(baseUrlOf(account, settings.simulatorUrl), account.api_version);
  const secretText = await accountSecret(settings, account.secret, 'callapi-credentials');
  // Keyed by a hash of the secret so a rotated secret gets a fresh session, and no map holds it twice.
  const key = `${url.href}\n${createHash('sha256').update(secretText).digest('hex')}`;
  let connected = accounts.get(key);
  if (connected === undefined) {
    const credentials = CallApiCredentials.parse(JSON.parse(secretText));
    const client = new CallApiClient({
      endpoint: url,
      ...(settings.timeouts !== undefined && { timeouts: settings.timeouts }),
      ...(settings.logger !== undefined && { logger: settings.logger }),
    });
    connected = new CallApiAccount(client, credentials);
    accounts.set(key, connected);
  }
  return connected;
};
