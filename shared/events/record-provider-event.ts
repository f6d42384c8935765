import { currentAttempt, parseExternalId } from '../calls/attempts.ts';
import type { CallOutcome, CallRecord } from '../calls/call-record.ts';
import type { CallStore } from '../calls/call-store.ts';
import { sessionKeyOf } from '../dispatch/session-key.ts';
import type { Logger } from '../logging/logger.ts';
import { followNotification, type ReportSettings } from './notified-outcome.ts';
import type { ProviderEvent } from './provider-event.ts';

export interface EventDeps extends ReportSettings {
  store: CallStore;
  logger: Logger;
  now: () => Date;
}

export type EventOutcome =
  | { status: 'recorded'; call_id: string; call_status: CallRecord['status'] }
  | { status: 'ignored'; reason: string };

/** Our calls carry their id as `external_id`; an event for a call whose reply we lost has it too. */
const findCall = async (
  deps: EventDeps,
  account: string,
  event: ProviderEvent,
): Promise<CallRecord | undefined> => {
  const sessionKey = sessionKeyOf(account, event.call_session_id);
  const bySession = await deps.store.findBySession(sessionKey);
  // The index may still name a session the call has left for its next attempt.
  if (bySession?.session_key === sessionKey) return bySession;
  // Another system's external_id, or none: only an id that could be ours is looked up.
  const named = event.external_id === undefined ? undefined : parseExternalId(event.external_id);
  if (named === undefined) return undefined;
  const byExternalId = await deps.store.get(named.callId);
  // An earlier attempt's word (a redialled call has moved on) must not settle the current one.
  return byExternalId?.account === account && named.attempt === currentAttempt(byExternalId)
    ? byExternalId
    : undefined;
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

/**
 * Records what a provider notification says about one of our calls: `answered` notes it on a
 * placed call; `ended` completes it. A call still `unknown` (its reply was lost) is placed after
 * all; the event proves it. Events for sessions we did not start are acknowledged and ignored,
 * so the provider does not retry them.
 */
export const recordProviderEvent = async (
  deps: EventDeps,
  account: string,
  event: ProviderEvent,
): Promise<EventOutcome> => {
  const record = await findCall(deps, account, event);
  if (record === undefined) return { status: 'ignored', reason: 'not a call callhook placed' };
  const now = deps.now();
  const session = {
    call_session_id: event.call_session_id,
    session_key: sessionKeyOf(account, event.call_session_id),
  };
  const followed = followNotification(
    deps,
    record,
    event,
    outcomeOf(event, now, record.outcome),
    now,
  );
  const { outcome } = followed;
  // Where a report follows, the sweeper's look at it is the record's next sweep.
  const lookAt = followed.sweep_at === undefined ? {} : { sweep_at: followed.sweep_at };
  const changed =
    event.event === 'ended'
      ? await deps.store.transition(
          record.call_id,
          {
            from: ['placed', 'unknown', 'dialing'],
            to: 'completed',
            at: now,
            reason: event.finish_reason ?? 'the provider reported the end of the call',
            set: { ...session, outcome, ...lookAt },
            remove: ['sweep_at', 'lease_owner', 'lease_expires_at'],
          },
          record,
        )
      : await deps.store.transition(
          record.call_id,
          {
            from: ['placed', 'unknown', 'dialing'],
            to: 'placed',
            at: now,
            reason: 'answered',
            set: { ...session, outcome, ...lookAt },
            remove: ['sweep_at', 'lease_owner', 'lease_expires_at'],
          },
          record,
        );
  if (changed === undefined) {
    return { status: 'ignored', reason: `the call is already ${record.status}` };
  }
  deps.logger.info('provider event recorded', {
    call_id: record.call_id,
    route: record.route,
    event: event.event,
    call_status: changed.status,
    ...(changed.status === 'completed' && { metric: 'CallCompleted' }),
  });
  return { status: 'recorded', call_id: record.call_id, call_status: changed.status };
};
