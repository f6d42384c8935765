import type * as z from 'zod';
import type { AccountIssue, AccountSecret } from './backend-config.ts';
import { CALL_API_CONFIG } from './callapi/config.ts';
import { JAICP_CONFIG } from './jaicp/config.ts';

/**
 * Every backend's config, keyed by the `backend` its accounts name. The runtime registry
 * (`registry.ts`) is typed from this one: a backend here without a runtime entry, or one there
 * without its config here, does not compile.
 */
export const BACKEND_CONFIGS = {
  callapi: CALL_API_CONFIG,
  jaicp: JAICP_CONFIG,
};

type Configs = typeof BACKEND_CONFIGS;

/** The `backend` an account names. */
export type BackendName = keyof Configs;

/** An account of one backend, as parsed. */
export type AccountOf<K extends BackendName> = z.output<Configs[K]['account']>;

/** A route's call that one backend places, as parsed. */
export type CallOf<K extends BackendName> = z.output<Configs[K]['calls'][number]>;

/** The request a route's call to one backend becomes. */
export type RequestOf<K extends BackendName> = NonNullable<Configs[K]['request']>;

/** The request a record will send, exactly as stored, whichever backend takes it. */
export type CallRequest = { [K in BackendName]: RequestOf<K> }[BackendName];

/** A backend filed under a key other than the `backend` its accounts name. */
type Misfiled = { [K in BackendName]: AccountOf<K>['backend'] extends K ? never : K }[BackendName];
// Fails to compile when a config is filed under another backend's name.
export const EVERY_CONFIG_FILED_UNDER_ITS_NAME: [Misfiled] extends [never] ? true : never = true;

/** An account of any backend, as parsed. */
export type AnyAccount = { [K in BackendName]: AccountOf<K> }[BackendName];

/** A backend's config, seen through the union of them all. */
export interface AnyBackendConfig {
  readonly label: string;
  readonly calls: readonly { shape: { method: { value: string } } }[];
  accountIssues(account: AnyAccount): AccountIssue[];
  redialProblem(account: AnyAccount, accountName: string): string | undefined;
  resultProblem(account: AnyAccount, accountName: string): string | undefined;
  secrets(account: AnyAccount): AccountSecret[];
}

/** Every backend's account schema, for the config's union of them. */
export const ACCOUNT_SCHEMAS = Object.values(BACKEND_CONFIGS).map(
  (config) => config.account,
) as unknown as [Configs[BackendName]['account'], ...Configs[BackendName]['account'][]];

/** Every backend's route call schemas, for the config's union of them. */
export const CALL_SCHEMAS = Object.values(BACKEND_CONFIGS).flatMap(
  (config): readonly unknown[] => config.calls,
) as unknown as [Configs[BackendName]['calls'][number], ...Configs[BackendName]['calls'][number][]];

/** The config of an account's backend; the union cannot be followed to its entry by TypeScript. */
export const backendConfigOf = (account: AnyAccount): AnyBackendConfig =>
  BACKEND_CONFIGS[account.backend] as unknown as AnyBackendConfig;
