import type { CallOutcome, CallRecord } from '../calls/call-record.ts';
import type { LimitsSnapshot } from '../pacing/limits.ts';
import type { ReportBudget, ReportedAttempt, ReportQuery } from './outcome-reports.ts';

/** What a backend says when it has taken a call. */
export interface Placement {
  /** The backend's own id for the call: a Call API session, a JAICP call job. */
  backendId: string;
  /** When the backend's notifications name the call by a numeric session id. */
  callSessionId?: number;
  limits?: LimitsSnapshot;
}

/** What a look for a call whose outcome was lost came to. */
export interface Lookup {
  /** The call, when the backend has it. */
  placement: Placement | undefined;
  /** The account's points as the reply reported them, for the shared budget. */
  limits?: LimitsSnapshot;
}

export type StopOutcome = 'hung_up' | 'cancelled' | 'already_over';

/** How a placed call is getting on, for backends that report rather than notify. */
export type Progress =
  /** Not over yet; `dialling` while the backend is calling now rather than waiting to. */
  | { state: 'pending'; dialling: boolean }
  | { state: 'completed'; outcome: CallOutcome; reason: string }
  | { state: 'failed'; reason: string }
  | { state: 'cancelled'; reason: string };

/** What a backend can do, the same for every account of it (`BackendEntry.capabilities`). */
export interface BackendCapabilities {
  /**
   * A repeated request can never create a second call (the backend takes an idempotence key),
   * so a failure whose outcome is unknown may simply be sent again.
   */
  readonly idempotent: boolean;
  /** The backend applies the route's calling window itself, so callhook does not schedule. */
  readonly ownsCallingWindow: boolean;
}

/**
 * Port: what dispatch, the sweeper, reconciliation and the operator actions need from whatever
 * places the call; each gets a record's backend from `backendOfRecord` (`registry.ts`). Failures
 * are `BackendError`s, classified the same way for every backend.
 *
 * Each backend lives in its own folder here, with everything that is its own: its config
 * (account and call schemas, the secrets an account names: `<name>/config.ts`, listed in
 * `config-registry.ts`), its runtime entry (capabilities, how a route's call becomes its request,
 * how its calls' outcomes are followed up, its prober: listed in `registry.ts`), its clients and
 * their wire schemas. Outside `shared/backends` only these name one: the Call API's notifications
 * (`shared/events`), the check of its secrets' shapes (`shared/secrets/secret-shapes.ts`), and the
 * local runtime's simulators.
 */
export interface CallBackend extends BackendCapabilities {
  /** The points one call costs against the account's shared budget; none for unmetered ones. */
  readonly pointsPerCall: number | undefined;
  /** The points one `find` costs against the same budget; none for unmetered ones. */
  readonly pointsPerLookup: number | undefined;
  place(record: CallRecord): Promise<Placement>;
  /** Looks for a call whose outcome was lost; its placement when it is found. */
  find(record: CallRecord): Promise<Lookup>;
  /** How a placed call is getting on; backends whose `followUp` is `progress` have it. */
  progress?(record: CallRecord): Promise<Progress>;
  /**
   * How an attempt ended, from the account's reports; backends whose `followUp` is `report`
   * have it. A failed look throws a `BackendError` (`limit` for a spent budget, naming its reset).
   */
  readReport?(query: ReportQuery, budget: ReportBudget): Promise<ReportedAttempt>;
  /**
   * Stops a placed call: `hung_up` (it was ringing or talking), `cancelled` (it had not rung
   * yet), or `already_over`.
   */
  stop(record: CallRecord): Promise<StopOutcome>;
}
