import type { CallRequest } from '../backends/config-registry.ts';
import type { MissedResult } from './call-result.ts';
import { CALL_STATUSES, type CallStatus } from './call-status.ts';
import type { CallError, Dial, ReportedOutcome } from './dial.ts';

export type { CallError } from './dial.ts';
export { CALL_STATUSES, type CallStatus };

/**
 * The states the sweeper looks at, through the sparse `by-sweep` index; a `completed` call only
 * while its provider's report is still to confirm how it ended.
 */
export const SWEPT_STATUSES = [
  'queued',
  'scheduled',
  'dialing',
  'placed',
  'unknown',
  'completed',
] as const;
export type SweptStatus = (typeof SWEPT_STATUSES)[number];

/**
 * What the provider told us about how a placed call ended: its notifications (`answered`,
 * `duration_s`, `event`) and, where the account has a Data API key, its report (`result`,
 * `finish_reason`, `talk_s`, `wait_s`), which wins where the two disagree.
 */
export interface CallOutcome extends Partial<ReportedOutcome> {
  /** Who said so last: a `notification`, or the `report` (the Data API, a JAICP report). */
  reported_by?: 'notification' | 'report';
  answered?: boolean;
  /** When the provider reported the answer (its `answered` notification). */
  answered_at?: string;
  duration_s?: number;
  ended_at?: string;
  /**
   * The last notification as received, as JSON text (its first 96 KiB), for whoever needs a
   * field we do not read. Text, because its field names are not ours to choose and DynamoDB
   * refuses some as attribute names. (Records written before held it as a map.)
   */
  event?: string;
}

/** What became of one status callback (one `webhook-id`): its latest attempt. */
export interface CallbackDelivery {
  webhook_id: string;
  /** The call's status the callback reports. */
  status?: CallStatus;
  attempts: number;
  /** `delivered`, `retrying` or `abandoned`. */
  outcome: 'delivered' | 'retrying' | 'abandoned';
  /** The receiver's HTTP status, where it answered. */
  status_code?: number;
  /** `HTTP 500`, `ECONNREFUSED`, `TimeoutError`: never the URL. */
  last_error?: string;
  at: string;
  next_attempt_at?: string;
}

/**
 * Deliveries a call's timeline shows, the latest: a call changes state a handful of times (one
 * callback each), so its log stays small without being trimmed.
 */
export const CALLBACKS_SHOWN = 10;

/** The last 4 digits of a contact as written, if it has that many. */
export const last4DigitsOf = (contact: string): string | undefined => {
  const digits = contact.replace(/\D/g, '');
  return digits.length >= 4 ? digits.slice(-4) : undefined;
};

export interface HistoryEntry {
  status: CallStatus;
  at: string;
  reason?: string;
}

/**
 * One accepted event and the one call it may place; or, `skipped`, an authentic event that must
 * not ring (its reason in `error`), kept so that its retries are duplicates that place nothing.
 */
/** A cancelling route's event that named the call (`shared/ingest/sender-cancel.ts`). */
export interface SenderCancel {
  /** When it was accepted. */
  at: string;
  /** The cancelling route. */
  route: string;
}

/**
 * A route's `escalate`, as it was when the event came, and what became of it: when the call's
 * last attempt ends one of the `when` ways, one linked call is made on route `to`
 * (`shared/dispatch/escalate.ts`), with the request built from this call's event at ingest.
 */
export interface Escalation {
  to: string;
  when: readonly MissedResult[];
  /** The linked call's id, derived from this call's: making it twice makes it once. */
  call_id: string;
  /** Route `to`'s request for this event; absent where its mapping failed (`problem`). */
  request?: CallRequest;
  problem?: string;
  /** When the last attempt ended one of the `when` ways: the sweeper makes the call. */
  due_at?: string;
  /** When the linked call was made, or why it was not. */
  made_at?: string;
  refused?: string;
}

export interface CallRecord {
  call_id: string;
  route: string;
  account: string;
  status: CallStatus;
  /**
   * The backend's request exactly as it will be sent (a Call API one without `access_token` and
   * `external_id`). Absent only on a `skipped` record: there may be no call to describe (a
   * number that cannot be parsed).
   */
  request?: CallRequest;
  /** A `skipped` record's contact as the event gave it, masked to its last 4 characters. */
  contact_masked?: string;
  /**
   * The contact's last 4 digits, for operators' searches (`contact_last4`); absent where the
   * event gave fewer.
   */
  contact_last4?: string;
  /** The event's key as the sender knows it (an order id, an Idempotency-Key), and its source. */
  event_key?: string;
  key_source?: string;
  /**
   * When the sender says the event happened, from what it signed: the route's `event_time` in
   * the payload, else the signature's own time. Shown in `timings`; it decides nothing.
   */
  sender_event_at?: string;
  /**
   * A `skipped: duplicate_contact` event's link: the call of its route group that had this
   * contact within the window, which this event merged into (that call's history names it too).
   */
  duplicate_of?: string;
  /**
   * A browser form's consent to the processing of personal data: given, when, and which text
   * the page showed (the route's `auth.consent.text_version`).
   */
  consent?: { given: true; at: string; text_version: string };
  /** Hash of `request`: the same idempotency key with another fingerprint is a conflict. */
  fingerprint: string;
  attempts: number;
  max_attempts: number;
  call_session_id?: number;
  /** The backend's own id for the placed call (a Call API session, a JAICP call job). */
  backend_id?: string;
  /** `<account>#<call_session_id>`: the key provider notifications find the call by. */
  session_key?: string;
  error?: CallError;
  /** ISO time before which dispatch must not call: a backoff, a limit reset, a calling window. */
  due_at?: string;
  /**
   * ISO time at which the sweeper should look at the record: a scheduled call's due time, a
   * `dialing` lease's expiry, a `queued` record's grace period for a lost message, an `unknown`
   * record's next reconciliation. Absent for records nobody needs to look at.
   */
  sweep_at?: string;
  /** How often the sweeper's look for an `unknown` call got an answer without finding it. */
  reconciliations?: number;
  outcome?: CallOutcome;
  /**
   * The attempt the call is on now (`attempts.ts`): 1, then one more for each redial and each
   * operator's retry. Absent on records written before retries were attempts of their own,
   * where it is `redials + 1`.
   */
  attempt?: number;
  /** Redials made so far, which the route's `redial.max` bounds. */
  redials?: number;
  /** Retries an operator ordered. */
  retries?: number;
  /** Each attempt's identity and facts, oldest first (`Dial`). */
  dials?: Dial[];
  /** Why no further attempt may be made (an operator or the sender cancelled the chain). */
  redial_stopped?: string;
  /**
   * The sender's word that the call is no longer wanted (a cancelling route's event): no
   * attempt is sent after it, whatever state the call was in when it came.
   */
  cancelled_by_sender?: SenderCancel;
  /**
   * The customer rang the account (the provider's inbound-call notification), on a route that
   * stops then: no attempt is sent after it.
   */
  customer_called_in?: { at: string };
  /** The route's `escalate` for this call, and what became of it. */
  escalation?: Escalation;
  /** On a call made by an escalation: the call whose last attempt nobody answered. */
  escalated_from?: string;
  /**
   * Its status callbacks' deliveries by `webhook-id`, each at its latest attempt. A map, so the
   * deliverer writes one entry in place (`shared/callbacks/callback-log.ts`) without reading the
   * record or bumping its `version`: a delivery never races a state change.
   */
  callback_log?: Record<string, CallbackDelivery>;
  lease_owner?: string;
  /** ISO time after which a `dialing` claim is considered abandoned. */
  lease_expires_at?: string;
  history: HistoryEntry[];
  /** Incremented by every write; conditional updates compare it. */
  version: number;
  created_at: string;
  updated_at: string;
  /** Epoch seconds; DynamoDB's TTL attribute. Code treats an expired record as absent. */
  expires_at: number;
}

/**
 * Keeps history short: the record must stay far below DynamoDB's item size limit. History is
 * for people; nothing is decided from it, so what falls off its start is only a story shortened.
 */
export const HISTORY_LIMIT = 20;

/** The history with `entry` after it, unless it says again just what the last entry says. */
export const appendHistory = (history: HistoryEntry[], entry: HistoryEntry): HistoryEntry[] => {
  const last = history.at(-1);
  if (last !== undefined && last.status === entry.status && last.reason === entry.reason) {
    return history;
  }
  return [...history, entry].slice(-HISTORY_LIMIT);
};
