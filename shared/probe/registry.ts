import type { ConnectionSettings } from '../backends/connection.ts';
import type { BackendName } from '../backends/registry.ts';
import type { AccountConfig } from '../config/schema.ts';
import { callApiProvider, probeCallApi } from './callapi-probe.ts';
import { jaicpProvider, probeJaicp } from './jaicp-probe.ts';
import type { ProbeOutcome } from './probe-report.ts';

/** How one backend's accounts are checked from inside the VPC. */
export interface AccountProber<A extends AccountConfig> {
  /** Who runs the account, as its operator knows it ("UIS"): where to whitelist or renew a key. */
  provider(account: A): string;
  /** One cheap authenticated request; never throws, never reports a secret's value. */
  probe(account: A, settings: ConnectionSettings): Promise<ProbeOutcome>;
}

type AccountOf<K extends BackendName> = Extract<AccountConfig, { backend: K }>;

/**
 * One prober per backend of `BACKENDS` (`shared/backends/registry.ts`), keyed the same way: a
 * backend without one does not compile.
 */
export const PROBERS = {
  callapi: { provider: callApiProvider, probe: probeCallApi },
  jaicp: { provider: jaicpProvider, probe: probeJaicp },
} satisfies { [K in BackendName]: AccountProber<AccountOf<K>> };

/** An account's prober; the union of accounts cannot be followed to its entry by TypeScript. */
export const proberOf = (account: AccountConfig): AccountProber<AccountConfig> =>
  PROBERS[account.backend] as AccountProber<AccountConfig>;
