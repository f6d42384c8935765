import { createHash } from 'node:crypto';
import { accountSecret, type ConnectionSettings } from '../../connection.ts';
import type { CallApiAccountConfig } from '../config.ts';
import { DataApiClient } from './client.ts';
import { DataApiCredentials } from './credentials.ts';
import { DATA_API_HOSTS, dataApiEndpoint } from './hosts.ts';
import { DataApiReports } from './reports.ts';

/** A Call API account with a Data API key: the accounts whose calls' outcomes are read. */
export type ReportingAccount = CallApiAccountConfig & {
  data_api: NonNullable<CallApiAccountConfig['data_api']>;
};

/**
 * Where the account's Data API is: its own `base_url`, the local simulator (which answers the
 * Data API beside the Call API), or the provider's Data API host.
 */
const baseUrlOf = (account: ReportingAccount, settings: ConnectionSettings): string => {
  if (account.data_api.base_url !== undefined) return account.data_api.base_url;
  if (account.provider === 'simulator') {
    const url = settings.simulatorUrls?.callapi;
    if (url === undefined) throw new Error('provider "simulator" exists only locally');
    return url;
  }
  // The config schema asks for data_api.base_url where there is no provider.
  if (account.provider === undefined) throw new Error('account without a Data API host');
  return DATA_API_HOSTS[account.provider];
};

// Per container: clients keep their keep-alive sockets.
const connected = new Map<string, DataApiReports>();

/**
 * The reports of an account's Data API, built once per endpoint and key. A missing or malformed
 * key is a `config` error naming its secret (never its value).
 */
export const connectReports = async (
  account: ReportingAccount,
  settings: ConnectionSettings,
): Promise<DataApiReports> => {
  const endpoint = dataApiEndpoint(baseUrlOf(account, settings));
  const secretText = await accountSecret(settings, account.data_api.secret, 'dataapi-key');
  // Keyed by a hash of the secret so a rotated key gets a fresh client, and no map holds it.
  const key = `${endpoint.href}\n${createHash('sha256').update(secretText).digest('hex')}`;
  let reports = connected.get(key);
  if (reports === undefined) {
    const { access_token } = DataApiCredentials.parse(JSON.parse(secretText));
    const client = new DataApiClient({
      endpoint,
      ...(settings.timeouts !== undefined && { timeouts: settings.timeouts }),
      ...(settings.logger !== undefined && { logger: settings.logger }),
    });
    reports = new DataApiReports(client, access_token);
    connected.set(key, reports);
  }
  return reports;
};
