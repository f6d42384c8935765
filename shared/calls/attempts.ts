import { isCallId } from './call-id.ts';
import type { CallRecord } from './call-record.ts';
import type { CallResult } from './call-result.ts';

/** How one attempt ended, as the provider's report tells it. */
export interface ReportedOutcome {
  result: CallResult;
  /** The provider's reason the result was read from; `null` where the report names none. */
  finish_reason: string | null;
  /** Seconds of conversation, and of the customer waiting before it. */
  talk_s: number;
  wait_s: number;
  ended_at: string;
}

/**
 * One dial of a call and how it ended. A call is one event's call, under one call id, however
 * often it is dialled: a redial is another attempt of the same call, not another call, so the
 * sender's id, the per-event idempotence and the operators' actions keep meaning one thing.
 * Each attempt is placed with its own `external_id` (`externalIdOf`), so a report or a
 * notification names exactly one attempt, and a late word about an earlier one is never taken
 * for the current one's.
 */
export interface DialAttempt {
  /** 1 for the first dial, 2 for the first redial, … */
  attempt: number;
  external_id: string;
  call_session_id?: number;
  /** When callhook read the report. */
  reported_at: string;
  outcome: ReportedOutcome;
}

/** Attempts a record keeps: a route redials at most 5 times. */
export const ATTEMPTS_LOG_LIMIT = 6;

/** The attempt a record is on now: 1 until it is redialled. */
export const currentAttempt = (record: Pick<CallRecord, 'redials'>): number =>
  (record.redials ?? 0) + 1;

/**
 * The `external_id` an attempt is placed with: the call id for the first (as every call placed
 * before redials existed), `<call id>-<attempt>` after.
 */
export const externalIdOf = (callId: string, attempt: number): string =>
  attempt <= 1 ? callId : `${callId}-${attempt}`;

/** The external id of the record's current attempt. */
export const currentExternalId = (record: Pick<CallRecord, 'call_id' | 'redials'>): string =>
  externalIdOf(record.call_id, currentAttempt(record));

/** The call and attempt an `external_id` names, when it is one callhook could have sent. */
export const parseExternalId = (
  externalId: string,
): { callId: string; attempt: number } | undefined => {
  const match = /^(.+)-([2-9]|[1-9]\d)$/.exec(externalId);
  if (match !== null && isCallId(match[1] ?? '')) {
    return { callId: match[1] as string, attempt: Number(match[2]) };
  }
  return isCallId(externalId) ? { callId: externalId, attempt: 1 } : undefined;
};
