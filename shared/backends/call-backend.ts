import type { LimitsSnapshot } from '../callapi/limits.ts';
import type { CallOutcome, CallRecord } from '../calls/call-record.ts';

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

/**
 * Port: what dispatch needs from whatever places the call. Failures are `BackendError`s,
 * classified the same way for every backend. Nothing outside `shared/backends` and the adapters
 * names a provider.
 */
export interface CallBackend {
  /**
   * A repeated request can never create a second call (the backend takes an idempotence key),
   * so a failure whose outcome is unknown may simply be sent again.
   */
  readonly idempotent: boolean;
  /** The points one call costs against the account's shared budget; none for unmetered ones. */
  readonly pointsPerCall: number | undefined;
  /** The points one `find` costs against the same budget; none for unmetered ones. */
  readonly pointsPerLookup: number | undefined;
  /** The backend applies the route's calling window itself, so callhook does not schedule. */
  readonly ownsCallingWindow: boolean;
  place(record: CallRecord): Promise<Placement>;
  /** Looks for a call whose outcome was lost; its placement when it is found. */
  find(record: CallRecord): Promise<Lookup>;
  /** How a placed call is getting on; only backends that report have it. */
  progress?(record: CallRecord): Promise<Progress>;
  /**
   * Stops a placed call: `hung_up` (it was ringing or talking), `cancelled` (it had not rung
   * yet), or `already_over`.
   */
  stop(record: CallRecord): Promise<StopOutcome>;
}
