import type { CallRecord, CallStatus, SweptStatus } from './call-record.ts';
import type { Change } from './lifecycle.ts';

export type CreateOutcome = { created: true } | { created: false; existing: CallRecord };

/**
 * A decision about a call, made on the record as stored: the change to write, or undefined for
 * none. It may be asked again on a newer record (another writer won), so it reads nothing but
 * the record and what the caller learned before (a report, the provider's answer).
 */
export type Decide = (record: CallRecord) => Change | undefined;

/** What `update` came to. */
export type Updated =
  /** The change was written: `record` is the call as it is now. */
  | { kind: 'changed'; record: CallRecord; previous: CallRecord; change: Change }
  /** The decision, on the record as stored, was to change nothing. */
  | { kind: 'unchanged'; record: CallRecord }
  | { kind: 'absent' };

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

/** Port: where call records live. Every change is a single-item conditional write. */
export interface CallStore {
  /** Writes the record unless a live record with the same id exists, in which case returns it. */
  create(record: CallRecord, now: Date): Promise<CreateOutcome>;
  get(callId: string): Promise<CallRecord | undefined>;
  /**
   * Asks `decide` what to change on the record as stored and writes it, conditionally on the
   * record's version; if another write came first, reads the record again and asks again. `known`
   * is the record as the caller last read it: it saves a read, and if it has gone stale the
   * conflict sends the decision to the stored one. The only way a call changes after `create`.
   */
  update(callId: string, decide: Decide, known?: CallRecord): Promise<Updated>;
  /**
   * Records in `status` whose `sweep_at` is at or before `before`, oldest first. Read from an
   * index, so possibly a moment stale: act on them only through `update`.
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
