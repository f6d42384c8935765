import type { CallRecord } from '../calls/call-record.ts';
import type { AccountConfig, CallhookConfig } from '../config/schema.ts';
import type { BackendClients } from './backend-entry.ts';
import type { CallBackend } from './call-backend.ts';
import { CALL_API_CLIENTS } from './callapi/callapi-clients.ts';
import type { AccountOf, BackendName } from './config-registry.ts';
import type { ConnectionSettings } from './connection.ts';
import { JAICP_CLIENTS } from './jaicp/jaicp-clients.ts';

/** One entry per backend of `BACKEND_CONFIGS`, each for its own accounts. */
export type ClientRegistry = { [K in BackendName]: BackendClients<AccountOf<K>> };

/**
 * Every backend's clients, keyed by the `backend` its accounts name: a backend without an entry,
 * or an entry for the wrong account type, does not compile. Apart from `registry.ts`, which
 * ingest imports, so ingest's bundle carries no client.
 */
export const BACKEND_CLIENTS = {
  callapi: CALL_API_CLIENTS,
  jaicp: JAICP_CLIENTS,
} satisfies ClientRegistry;

/**
 * The clients of an account's backend. TypeScript cannot follow an account's own type through
 * the union to its entry; the config schema ties an account to its backend.
 */
export const clientsOf = (account: AccountConfig): BackendClients<AccountConfig> =>
  BACKEND_CLIENTS[account.backend] as BackendClients<AccountConfig>;

/** The backend an account's calls go through. */
export const backendFor = (
  account: AccountConfig,
  settings: ConnectionSettings,
): Promise<CallBackend> => clientsOf(account).create(account, settings);

/** The backend of a record's account; none when the account is no longer configured. */
export const backendOfRecord = async (
  deps: { config: CallhookConfig; connection: ConnectionSettings },
  record: Pick<CallRecord, 'account'>,
): Promise<CallBackend | undefined> => {
  const account = deps.config.accounts[record.account];
  return account === undefined ? undefined : backendFor(account, deps.connection);
};
