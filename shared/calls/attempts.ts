import { isCallId } from './call-id.ts';
import type { CallRecord } from './call-record.ts';
import type { Dial, DialCause, ReportedOutcome } from './dial.ts';

export type { Dial, DialCause, ReportedOutcome } from './dial.ts';

/**
 * The dials a record keeps. A route redials at most 5 times and retries are an operator's
 * clicks; older entries are dropped first, never the current one, and nothing is decided from
 * a dial that is not the current one.
 */
export const DIALS_KEPT = 8;

/** The attempt a record is on now: 1 until it is redialled or retried. */
export const currentAttempt = (record: Pick<CallRecord, 'attempt' | 'redials'>): number =>
  record.attempt ?? (record.redials ?? 0) + 1;

/**
 * The `external_id` an attempt is placed with: the call id for the first (as every call placed
 * before redials existed), `<call id>-<attempt>` after.
 */
export const externalIdOf = (callId: string, attempt: number): string =>
  attempt <= 1 ? callId : `${callId}-${attempt}`;

/** The external id of the record's current attempt. */
export const currentExternalId = (
  record: Pick<CallRecord, 'call_id' | 'attempt' | 'redials'>,
): string => externalIdOf(record.call_id, currentAttempt(record));

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

type DialsOf = Pick<CallRecord, 'call_id' | 'attempt' | 'redials' | 'dials'>;

/** The entry kept for attempt `attempt`, if any. */
export const dialOf = (record: Pick<CallRecord, 'dials'>, attempt: number): Dial | undefined =>
  record.dials?.find((dial) => dial.attempt === attempt);

/** The current attempt's own entry: its flags (`went_unknown`, `failed_looks`, `cause`). */
export const currentDial = (record: DialsOf): Dial =>
  dialOf(record, currentAttempt(record)) ?? { attempt: currentAttempt(record) };

type FactsOf = DialsOf & Pick<CallRecord, 'call_session_id' | 'outcome' | 'error'>;

/** The report part of an outcome, once a report said it. */
const reportedPart = (outcome: CallRecord['outcome']): ReportedOutcome | undefined =>
  outcome?.reported_by === 'report' &&
  outcome.result !== undefined &&
  outcome.finish_reason !== undefined &&
  outcome.talk_s !== undefined &&
  outcome.wait_s !== undefined &&
  outcome.ended_at !== undefined
    ? {
        result: outcome.result,
        finish_reason: outcome.finish_reason,
        talk_s: outcome.talk_s,
        wait_s: outcome.wait_s,
        ended_at: outcome.ended_at,
      }
    : undefined;

/** What the record's own fields say of its current attempt, as an entry would hold it. */
const currentFacts = (record: FactsOf): Dial => {
  const { outcome } = record;
  const notified = outcome?.reported_by === 'notification' ? outcome.result : undefined;
  const reported = reportedPart(outcome);
  return {
    ...currentDial(record),
    ...(record.call_session_id !== undefined && { call_session_id: record.call_session_id }),
    ...(outcome?.answered_at !== undefined && { answered_at: outcome.answered_at }),
    ...(outcome?.ended_at !== undefined && { ended_at: outcome.ended_at }),
    ...(notified !== undefined && { notified_result: notified }),
    ...(reported !== undefined && { outcome: reported }),
    ...(record.error !== undefined && { error: record.error }),
  };
};

/**
 * What is known of attempt `attempt`: the current one's from the record's own fields, an
 * earlier one's from its entry; undefined for one that was never made or whose entry is gone.
 */
export const factsOf = (record: FactsOf, attempt: number): Dial | undefined =>
  attempt === currentAttempt(record) ? currentFacts(record) : dialOf(record, attempt);

/** Every attempt with what is known of it, oldest first, the current one last. */
export const allDials = (record: FactsOf): Dial[] => [
  ...(record.dials ?? []).filter((dial) => dial.attempt < currentAttempt(record)),
  currentFacts(record),
];

/**
 * The record's entries with attempt `attempt`'s changed by `patch` (added if missing), oldest
 * first, at most `DIALS_KEPT`, the current one always kept.
 */
export const withDial = (
  record: DialsOf,
  attempt: number,
  patch: Partial<Omit<Dial, 'attempt'>>,
): Dial[] => {
  const kept = record.dials ?? [];
  const existing = kept.find((dial) => dial.attempt === attempt) ?? { attempt };
  const dials = [...kept.filter((dial) => dial.attempt !== attempt), { ...existing, ...patch }];
  dials.sort((a, b) => a.attempt - b.attempt);
  const current = currentAttempt(record);
  while (dials.length > DIALS_KEPT) {
    const oldest = dials.findIndex((dial) => dial.attempt !== current && dial.attempt !== attempt);
    dials.splice(oldest === -1 ? 0 : oldest, 1);
  }
  return dials;
};

/** The current attempt's entry changed by `patch`. */
export const withCurrentDial = (record: DialsOf, patch: Partial<Omit<Dial, 'attempt'>>): Dial[] =>
  withDial(record, currentAttempt(record), patch);

/**
 * The entries once the call moves on to attempt `next` (a redial, a retry): the current
 * attempt's session, outcome and error kept in its own entry (the record's fields are cleared
 * for the next), and the next attempt's entry saying why it is made.
 */
export const supersede = (
  record: FactsOf,
  next: number,
  cause: Exclude<DialCause, 'event'>,
): Dial[] => {
  const kept = withDial(record, currentAttempt(record), currentFacts(record));
  return withDial({ ...record, dials: kept, attempt: next }, next, { cause });
};
