import { createHash } from 'node:crypto';
import { CallApiAccount, CallApiCredentials } from '../callapi/account.ts';
import { CallApiClient } from '../callapi/client.ts';
import { endpointUrl, PROVIDER_HOSTS } from '../callapi/providers.ts';
import type { TransportTimeouts } from '../callapi/transport.ts';
import type { CallApiAccountConfig } from '../config/schema.ts';
import type { SecretStore } from '../config/secrets.ts';
import { parseJsonOrUndefined } from '../json/parse-json.ts';
import type { Logger } from '../logging/logger.ts';

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

/** The Call API account behind a configured account, built once per endpoint and credentials. */
export const connectAccount = async (
  account: CallApiAccountConfig,
  settings: ConnectionSettings,
): Promise<CallApiAccount> => {
  const url = endpointUrl(baseUrlOf(account, settings.simulatorUrl), account.api_version);
  const secretText = await settings.secrets.get(account.secret);
  // Keyed by a hash of the secret so a rotated secret gets a fresh session, and no map holds it twice.
  const key = `${url.href}\n${createHash('sha256').update(secretText).digest('hex')}`;
  let connected = accounts.get(key);
  if (connected === undefined) {
    const credentials = CallApiCredentials.safeParse(parseJsonOrUndefined(secretText));
    if (!credentials.success) {
      throw new Error(
        `secret "${account.secret}" must be JSON {"access_token": "..."} or {"login": "...", "password": "..."}`,
      );
    }
    const client = new CallApiClient({
      endpoint: url,
      ...(settings.timeouts !== undefined && { timeouts: settings.timeouts }),
      ...(settings.logger !== undefined && { logger: settings.logger }),
    });
    connected = new CallApiAccount(client, credentials.data);
    accounts.set(key, connected);
  }
  return connected;
};
