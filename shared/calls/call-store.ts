import type { CallRecord, CallStatus } from './call-record.ts';

export type CreateOutcome = { created: true } | { created: false; existing: CallRecord };

/** The fields a transition may change besides `status`, `updated_at` and `history`. */
export type TransitionPatch = Partial<
  Pick<CallRecord, 'attempts' | 'call_session_id' | 'error' | 'lease_owner' | 'lease_expires_at'>
>;

export interface Transition {
  from: CallStatus;
  to: CallStatus;
  at: Date;
  reason?: string;
  set?: TransitionPatch;
  /** Attribute names to remove, e.g. the lease once a claim is settled. */
  remove?: (keyof TransitionPatch)[];
  /** Only if the record is still held by this owner. */
  owner?: string;
}

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
}
