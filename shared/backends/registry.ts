import type { AccountConfig, CallhookConfig } from '../config/schema.ts';
import type { BackendEntry, RouteCall } from './backend-entry.ts';
import { CALL_API } from './callapi/callapi.ts';
import type { AccountOf, BackendName, CallOf, CallRequest, RequestOf } from './config-registry.ts';
import { JAICP } from './jaicp/jaicp.ts';
import type { FollowUp } from './outcome-reports.ts';

/** One entry per backend of `BACKEND_CONFIGS`, each for its own accounts, calls and requests. */
export type BackendRegistry = {
  [K in BackendName]: BackendEntry<AccountOf<K>, CallOf<K>, RequestOf<K>>;
};

/**
 * Every backend, keyed by the `backend` its accounts name: an account type without an entry,
 * or an entry for the wrong account type, does not compile. How each reaches its provider is
 * in `client-registry.ts`, typed the same way.
 */
export const BACKENDS = {
  callapi: CALL_API,
  jaicp: JAICP,
} satisfies BackendRegistry;

/** A backend's entry, seen through the union of them all. */
export type AnyBackendEntry = BackendEntry<AccountConfig, RouteCall, CallRequest>;

/**
 * The entry of an account's backend. TypeScript cannot follow an account's own type through
 * the union to its entry; the config schema ties a route's call to its account's backend.
 */
export const entryOf = (account: AccountConfig): AnyBackendEntry =>
  BACKENDS[account.backend] as AnyBackendEntry;

/**
 * How a record's calls are followed up once placed, by its account's backend; `none` when the
 * account is no longer configured.
 */
export const followUpOf = (config: CallhookConfig, accountName: string): FollowUp => {
  const account = Object.hasOwn(config.accounts, accountName)
    ? config.accounts[accountName]
    : undefined;
  return account === undefined ? 'none' : entryOf(account).followUp(account);
};
