import { announce } from '../calls/announce.ts';
import {
  currentAttempt,
  type Dial,
  factsOf,
  parseExternalId,
  withDial,
} from '../calls/attempts.ts';
import type { CallOutcome, CallRecord } from '../calls/call-record.ts';
import type { CallStore } from '../calls/call-store.ts';
import { type Change, change } from '../calls/lifecycle.ts';
import type { RouteConfig } from '../config/schema.ts';
import { sessionKeyOf } from '../dispatch/session-key.ts';
import type { Logger } from '../logging/logger.ts';
import { followNotification, notifiedResult, type ReportSettings } from './notified-outcome.ts';
import type { ProviderEvent } from './provider-event.ts';

export interface EventDeps extends ReportSettings {
  store: CallStore;
  logger: Logger;
  now: () => Date;
}

export type EventOutcome =
  | { status: 'recorded'; call_id: string; call_status: CallRecord['status'] }
  | { status: 'ignored'; reason: string }
  /** An inbound call (`customer-called-in.ts`): the calls it stopped. */
  | { status: 'customer_called_in'; stopped: string[] };

/** The call and the attempt a notification is about. */
interface Named {
  record: CallRecord;
  attempt: number;
}

/**
 * The call and attempt an event names, by what identifies the attempt: its `external_id` (ours:
 * `<call id>` or `<call id>-<attempt>`) together with its session, which must be the one that
 * attempt was placed as, where we know it; an event without an `external_id` by its session,
 * which names the current attempt of the call that holds it. A session id the provider used
 * again (a restarted simulator) can then never hand one call's event to another.
 */
const findCall = async (
  deps: EventDeps,
  account: string,
  event: ProviderEvent,
): Promise<Named | undefined> => {
  if (event.external_id !== undefined) {
    // Another system's external_id: only an id that could be ours is looked up.
    const named = parseExternalId(event.external_id);
    if (named === undefined) return undefined;
    const record = await deps.store.get(named.callId);
    if (record?.account !== account || named.attempt > currentAttempt(record)) return undefined;
    const session = factsOf(record, named.attempt)?.call_session_id;
    if (session !== undefined && session !== event.call_session_id) return undefined;
    return { record, attempt: named.attempt };
  }
  const sessionKey = sessionKeyOf(account, event.call_session_id);
  const record = await deps.store.findBySession(sessionKey);
  // The index may still name a session the call has left for its next attempt.
  if (record?.session_key !== sessionKey) return undefined;
  return { record, attempt: currentAttempt(record) };
};

/**
 * The most of an event's JSON text a record keeps. With the largest request a payload could
 * build (under the 256 KiB body limit) and a full history, the record stays below DynamoDB's
 * 400 KB item limit; a real notification is a few hundred bytes.
 */
export const MAX_EVENT_TEXT_BYTES = 96 * 1024;

/**
 * The event as JSON text rather than as a map. Its field names are the template author's, and
 * DynamoDB refuses some as attribute names (empty, 64 KiB or longer); nested two levels down in
 * the record, a body within the parser's 32 levels can pass DynamoDB's; and a number of an
 * unread field may be one DynamoDB or the SDK cannot hold (past 2^53, 38 digits, or its range).
 * As text, no field callhook does not read can fail the write that records the call's end, and
 * the event is kept as it came rather than with fields dropped or renamed.
 */
const eventText = (event: ProviderEvent): string => {
  const text = JSON.stringify(event);
  if (Buffer.byteLength(text, 'utf8') <= MAX_EVENT_TEXT_BYTES) return text;
  // Cut on a byte boundary; a character split in two decodes to one U+FFFD, dropped.
  return Buffer.from(text, 'utf8')
    .subarray(0, MAX_EVENT_TEXT_BYTES)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
};

const outcomeOf = (event: ProviderEvent, now: Date, previous?: CallOutcome): CallOutcome => ({
  ...previous,
  ...(event.event === 'answered' && {
    answered: true,
    answered_at: previous?.answered_at ?? now.toISOString(),
  }),
  ...(event.event === 'ended' && {
    answered: previous?.answered === true || (event.talk_time_duration ?? 0) > 0,
    ended_at: now.toISOString(),
    ...(event.talk_time_duration !== undefined && { duration_s: event.talk_time_duration }),
  }),
  event: eventText(event),
});

/** What the event adds to its attempt's entry; undefined when the entry knows it already. */
const dialFacts = (
  dial: Dial | undefined,
  event: ProviderEvent,
  now: Date,
): Partial<Dial> | undefined => {
  const session = { call_session_id: event.call_session_id };
  if (event.event === 'answered') {
    return dial?.answered_at === undefined
      ? { ...session, answered_at: now.toISOString() }
      : undefined;
  }
  if (dial?.ended_at !== undefined) return undefined;
  const result = notifiedResult(event);
  return {
    ...session,
    ended_at: now.toISOString(),
    ...(result !== undefined && { notified_result: result }),
    ...((event.talk_time_duration ?? 0) > 0 &&
      dial?.answered_at === undefined && { answered_at: now.toISOString() }),
  };
};

/** Whether, after this end, the report may still ask for another attempt. */
const mayRedialAfter = (
  route: RouteConfig | undefined,
  record: CallRecord,
  dial: Dial,
  result: string | undefined,
): boolean => {
  const redial = route?.redial;
  if (redial === undefined || record.redial_stopped !== undefined) return false;
  if (dial.went_unknown === true || (record.redials ?? 0) >= redial.max) return false;
  return result === undefined || (redial.on as readonly string[]).includes(result);
};

/**
 * What a notification changes, decided on the call as stored:
 * - about an attempt the call is no longer on, or a call no longer live: noted on that attempt
 *   alone, and nothing moves;
 * - a repeat of what the attempt already knows: nothing;
 * - `answered`: the call is `placed`, answered;
 * - `ended`: `completed`, unless the account's report may still ask for another attempt (the
 *   route redials on what it may say): then the call stays `placed`, its attempt ended, until
 *   the report is read.
 */
export const decideEvent = (
  deps: EventDeps,
  current: CallRecord,
  attempt: number,
  event: ProviderEvent,
  now: Date,
): Change | undefined => {
  const known = factsOf(current, attempt);
  // An entry dropped long ago: nothing of it decides anything any more.
  if (known === undefined) return undefined;
  // The session is checked again on the record as stored: one placed since the call was found
  // (the dispatcher's write came first) is the attempt's, and another session's word is not.
  if (known.call_session_id !== undefined && known.call_session_id !== event.call_session_id) {
    return undefined;
  }
  const facts = dialFacts(known, event, now);
  if (facts === undefined) return undefined;
  if (attempt !== currentAttempt(current)) {
    return change('attemptNoted', now, { set: { dials: withDial(current, attempt, facts) } });
  }
  if (!['dialing', 'placed', 'unknown'].includes(current.status)) {
    // Over (hung up by an operator, failed): what the provider says of its end is kept.
    return change('attemptNoted', now, {
      set: { outcome: outcomeOf(event, now, current.outcome) },
    });
  }
  const followed = followNotification(
    deps,
    current,
    event,
    outcomeOf(event, now, current.outcome),
    now,
  );
  const set = {
    call_session_id: event.call_session_id,
    session_key: sessionKeyOf(current.account, event.call_session_id),
    outcome: followed.outcome,
    // Where a report follows, the sweeper's look at it is the record's next sweep.
    ...(followed.sweep_at !== undefined && { sweep_at: followed.sweep_at }),
  };
  if (event.event === 'answered') return change('answered', now, { reason: 'answered', set });
  const reason = event.finish_reason ?? 'the provider reported the end of the call';
  const route = deps.config?.routes[current.route];
  if (
    followed.sweep_at !== undefined &&
    mayRedialAfter(route, current, known, followed.outcome.result)
  ) {
    return change('endedAwaitingReport', now, {
      reason: `${reason}; the report decides whether it is redialled`,
      set,
    });
  }
  return change('ended', now, { reason, set });
};

/**
 * Records what a provider notification says about one of our calls' attempts (`decideEvent`).
 * A call still `unknown` (its reply was lost) is placed after all; the event proves it. Events
 * for sessions we did not start are acknowledged and ignored, so the provider does not retry
 * them.
 */
export const recordProviderEvent = async (
  deps: EventDeps,
  account: string,
  event: ProviderEvent,
): Promise<EventOutcome> => {
  const named = await findCall(deps, account, event);
  if (named === undefined) return { status: 'ignored', reason: 'not a call callhook placed' };
  const { record, attempt } = named;
  const now = deps.now();
  const updated = await deps.store.update(
    record.call_id,
    (current) => decideEvent(deps, current, attempt, event, now),
    record,
  );
  if (updated.kind === 'absent') return { status: 'ignored', reason: 'not a call callhook placed' };
  if (updated.kind === 'unchanged') {
    // A repeat of what the attempt already knows (providers resend): acknowledged as recorded,
    // and nothing is written, so a hundred repeats cost nothing and push nothing out of history.
    return { status: 'recorded', call_id: record.call_id, call_status: updated.record.status };
  }
  announce(deps.logger, updated, { event: event.event });
  deps.logger.info('provider event recorded', {
    call_id: record.call_id,
    route: record.route,
    event: event.event,
    attempt,
    call_status: updated.record.status,
  });
  return { status: 'recorded', call_id: record.call_id, call_status: updated.record.status };
};
