import { createHash } from 'node:crypto';
import { accountSecret, type ConnectionSettings } from '../connection.ts';
import { CallApiAccount, CallApiCredentials } from './api/account.ts';
import { CallApiClient } from './api/client.ts';
import { endpointUrl, PROVIDER_HOSTS } from './api/providers.ts';
import { CALL_API_SECRET_SHAPE } from './call-api-traits.ts';
import type { CallApiAccountConfig } from './config.ts';

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

/** The Call API account behind a configured account, built once per endpoint and credentials. */
export const connectAccount = async (
  account: CallApiAccountConfig,
  settings: ConnectionSettings,
): Promise<CallApiAccount> => {
  const url = endpointUrl(baseUrlOf(account, settings.simulatorUrls?.callapi), account.api_version);
  const secretText = await accountSecret(settings, account.secret, CALL_API_SECRET_SHAPE);
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
