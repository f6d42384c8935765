import type { ReportedOutcome } from '../../../calls/attempts.ts';
import type { CallResult } from '../../../calls/call-result.ts';
import { MAX_CALL_SECONDS } from '../../../validation/provider-numbers.ts';
import { isFinishReason, RESULT_WITHOUT_TALK } from './finish-reasons.ts';
import type { LegRow, SessionRow } from './reports.ts';

/** `2026-03-02 13:00:05` → epoch ms, as if UTC: only differences between two such times count. */
const localMs = (text: string | null | undefined): number | undefined => {
  if (text == null) return undefined;
  const ms = Date.parse(`${text.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? undefined : ms;
};

/**
 * The session's length from its start and finish times, if both read as times no more than
 * `MAX_CALL_SECONDS` apart (the range of every duration a report gives): a finish in year 9999
 * is no call's end, and its date could not be written.
 */
const lengthFromTimes = (session: SessionRow): number | undefined => {
  const start = localMs(session.start_time);
  const finish = localMs(session.finish_time);
  if (start === undefined || finish === undefined) return undefined;
  const lengthMs = Math.max(0, finish - start);
  return lengthMs <= MAX_CALL_SECONDS * 1000 ? lengthMs : undefined;
};

/**
 * When the session ended, by our clock: the report's times are in the account's time zone,
 * which it does not name, but the session's length is the same in every zone, and the session
 * started when callhook placed it (`startedAt`, within the request's round trip). Without both
 * times, or with times too far apart, the length is `total_duration` (already in range).
 */
const endedAt = (session: SessionRow, startedAt: Date): string => {
  const lengthMs = lengthFromTimes(session) ?? (session.total_duration ?? 0) * 1000;
  return new Date(startedAt.getTime() + lengthMs).toISOString();
};

/**
 * The result of one attempt, from its session and legs (docs/outcomes.md):
 * 1. `talked` when a leg of the customer's (`is_operator: false`) has `is_talked`; or, in a
 *    session with no operator leg (an informer call: the message is the conversation), when the
 *    customer's leg was picked up (`duration` > 0); or, with no legs reported at all, when the
 *    session has talk time;
 * 2. otherwise `RESULT_WITHOUT_TALK` of a finish reason: the customer's last leg's if the
 *    customer was rung, else the session's (the operator's side ended it before that); a reason
 *    the docs do not list is `failed`.
 */
export const outcomeOf = (
  session: SessionRow,
  legs: readonly LegRow[],
  startedAt: Date,
): ReportedOutcome => {
  const customerLegs = legs.filter((leg) => leg.is_operator !== true);
  const hasOperator = legs.some((leg) => leg.is_operator === true);
  const talkedLeg =
    customerLegs.find((leg) => leg.is_talked === true) ??
    (hasOperator ? undefined : customerLegs.find((leg) => (leg.duration ?? 0) > 0));
  const talked = talkedLeg !== undefined || (legs.length === 0 && (session.talk_duration ?? 0) > 0);
  const reason = customerLegs.at(-1)?.finish_reason ?? session.finish_reason ?? null;
  const result: CallResult = talked
    ? 'talked'
    : reason !== null && isFinishReason(reason)
      ? RESULT_WITHOUT_TALK[reason]
      : 'failed';
  const sessionTalk = session.talk_duration ?? 0;
  return {
    result,
    finish_reason: talked ? (session.finish_reason ?? reason) : reason,
    talk_s: talked ? (sessionTalk > 0 ? sessionTalk : (talkedLeg?.duration ?? 0)) : 0,
    wait_s: session.wait_duration ?? 0,
    ended_at: endedAt(session, startedAt),
  };
};
