import * as z from 'zod';
import { CallApiClient } from '../callapi/client.ts';
import { endpointUrl, PROVIDER_HOSTS } from '../callapi/providers.ts';
import type { TransportTimeouts } from '../callapi/transport.ts';
import type { AccountConfig } from '../config/schema.ts';
import type { SecretStore } from '../config/secrets.ts';
import { parseJsonOrUndefined } from '../json/parse-json.ts';

const AccountSecret = z.object({ access_token: z.string().min(1) });

export interface AccountConnection {
  client: CallApiClient;
  accessToken: string;
  /**
   * A permanent key that the provider refuses stays refused until an operator replaces it, so
   * its auth errors are configuration errors, not something to retry.
   */
  credential: 'permanent_key';
}

export interface ConnectionSettings {
  secrets: SecretStore;
  /** Where `provider: "simulator"` points; only the local runtime sets it. */
  simulatorUrl?: string;
  timeouts?: TransportTimeouts;
}

const clients = new Map<string, CallApiClient>();

const baseUrlOf = (account: AccountConfig, simulatorUrl: string | undefined): string => {
  if (account.base_url !== undefined) return account.base_url;
  if (account.provider === 'simulator') {
    if (simulatorUrl === undefined) throw new Error('provider "simulator" exists only locally');
    return simulatorUrl;
  }
  if (account.provider === undefined) throw new Error('account without provider or base_url');
  return PROVIDER_HOSTS[account.provider];
};

/** The Call API client and token for an account; clients are reused across invocations. */
export const connectAccount = async (
  account: AccountConfig,
  settings: ConnectionSettings,
): Promise<AccountConnection> => {
  const url = endpointUrl(baseUrlOf(account, settings.simulatorUrl), account.api_version).href;
  let client = clients.get(url);
  if (client === undefined) {
    client = new CallApiClient({
      endpoint: new URL(url),
      ...(settings.timeouts !== undefined && { timeouts: settings.timeouts }),
    });
    clients.set(url, client);
  }
  const secret = AccountSecret.safeParse(
    parseJsonOrUndefined(await settings.secrets.get(account.secret)),
  );
  if (!secret.success) {
    throw new Error(`secret "${account.secret}" must be JSON {"access_token": "..."}`);
  }
  return { client, accessToken: secret.data.access_token, credential: 'permanent_key' };
};
