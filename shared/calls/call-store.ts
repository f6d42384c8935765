import type { CallRecord, CallStatus, SweptStatus } from './call-record.ts';

export type CreateOutcome = { created: true } | { created: false; existing: CallRecord };

/** The fields a transition may change besides `status`, `updated_at` and `history`. */
export type TransitionPatch = Partial<
  Pick<
    CallRecord,
    | 'attempts'
    | 'max_attempts'
    | 'call_session_id'
    | 'backend_id'
    | 'session_key'
    | 'error'
    | 'lease_owner'
    | 'lease_expires_at'
    | 'due_at'
    | 'sweep_at'
    | 'reconciliations'
    | 'outcome'
    | 'redials'
    | 'attempts_log'
    | 'redial_stopped'
  >
>;

export interface Transition {
  /** The state (or any of the states) the record must be in for the transition to apply. */
  from: CallStatus | readonly CallStatus[];
  to: CallStatus;
  at: Date;
  reason?: string;
  set?: TransitionPatch;
  /** Attribute names to remove, e.g. the lease once a claim is settled. */
  remove?: (keyof TransitionPatch)[];
  /** Only if the record is still held by this owner. */
  owner?: string;
  /**
   * A bookkeeping write within one state (a new sweep time): no history entry, so frequent
   * polling cannot push the record's real story out of its short history.
   */
  quiet?: true;
}

/** Where a page of the list ends: the last record it looked at, by the index's order. */
export interface ListPosition {
  created_at: string;
  call_id: string;
}

/** The operators' list: newest first, every filter optional. */
export interface CallQuery {
  statuses?: readonly CallStatus[];
  route?: string;
  /** ISO times, inclusive, on `created_at`. */
  since?: string;
  until?: string;
  contactLast4?: string;
  limit: number;
  after?: ListPosition;
}

export interface CallPage {
  records: CallRecord[];
  /** Where the next page starts; absent when the list is over. */
  next?: ListPosition;
}

export const fromStates = (transition: Transition): readonly CallStatus[] =>
  typeof transition.from === 'string' ? [transition.from] : transition.from;

/** Port: where call records live. Every change is a single-item conditional write. */
export interface CallStore {
  /** Writes the record unless a live record with the same id exists, in which case returns it. */
  create(record: CallRecord, now: Date): Promise<CreateOutcome>;
  get(callId: string): Promise<CallRecord | undefined>;
  /**
   * Applies the transition if the record is in `from`; returns the new record, or undefined.
   * `known` is the record as the caller last saw it: it saves a read, and if it has gone stale
   * the store reads the record afresh before deciding.
   */
  transition(
    callId: string,
    transition: Transition,
    known?: CallRecord,
  ): Promise<CallRecord | undefined>;
  /**
   * Records in `status` whose `sweep_at` is at or before `before`, oldest first. Read from an
   * index, so possibly a moment stale: act on them only through `transition`.
   */
  listDue(status: SweptStatus, before: Date, limit: number): Promise<CallRecord[]>;
  /**
   * The records matching `query`, newest first, at most `limit`. A page may hold fewer than
   * `limit` while `next` is present (the filters matched little of what it read): only a page
   * without `next` ends the list.
   */
  list(query: CallQuery): Promise<CallPage>;
  /** The call a provider notification names, by `session_key`. */
  findBySession(sessionKey: string): Promise<CallRecord | undefined>;
}
