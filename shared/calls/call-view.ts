// Types only: the schemas are Zod classic, which no function bundle carries.
import type {
  CallDetail,
  CallEvent,
  CallOutcomeView,
  CallTimings,
  CallView,
  DialView,
  TimelineEntry,
} from '../contract/admin-schemas.ts';
import { maskContactIn, maskPhone } from '../logging/mask.ts';
import { maskFields } from '../logging/mask-fields.ts';
import { allDials, currentAttempt, type Dial, externalIdOf } from './attempts.ts';
import {
  CALLBACKS_SHOWN,
  type CallOutcome,
  type CallRecord,
  type Escalation,
} from './call-record.ts';
import { resultOfDial } from './dial-result.ts';
import type { KeptEvent } from './kept-event.ts';

export type { CallDetail, CallEvent, CallView, DialView, TimelineEntry };

/** The raw provider event names the contact: it stays in the record, not in the answer. */
const viewOutcome = ({ event: _, ...outcome }: CallOutcome): CallOutcomeView => outcome;

/** How the call's last attempt ended, and how long it talked. */
export const lastResultOf = (record: CallRecord): Pick<CallView, 'result' | 'talk_s'> => {
  const last = allDials(record).at(-1);
  // The current attempt's own fields say it was answered even where its entry does not.
  const result =
    (last === undefined ? undefined : resultOfDial(last)) ??
    (record.outcome?.answered === true ? 'talked' : null);
  const talk =
    last?.outcome?.talk_s ??
    (record.outcome?.answered === true ? record.outcome.duration_s : undefined) ??
    null;
  return { result, talk_s: talk };
};

/** What `GET /calls/{id}` shows: no secret, and the contact masked to its last 4 digits. */
export const toCallView = (record: CallRecord): CallView => ({
  call_id: record.call_id,
  route: record.route,
  status: record.status,
  method: record.request?.method ?? null,
  contact:
    record.request === undefined
      ? (record.contact_masked ?? null)
      : maskPhone(record.request.params.contact),
  call_session_id: record.call_session_id ?? null,
  attempts: record.attempts,
  /** The attempt the call is on: 1, then one more for each redial and each operator's retry. */
  attempt: currentAttempt(record),
  event_key: record.event_key ?? null,
  ...lastResultOf(record),
  dials: allDials(record).map((dial) => toDialView(record.call_id, dial)),
  due_at: record.due_at ?? null,
  outcome: record.outcome === undefined ? null : viewOutcome(record.outcome),
  created_at: record.created_at,
  updated_at: record.updated_at,
  error: record.error ?? null,
  cancelled_by_sender: record.cancelled_by_sender ?? null,
  customer_called_in: record.customer_called_in ?? null,
  history: record.history,
  duplicate_of: record.duplicate_of ?? null,
  escalation: escalationView(record.escalation),
  escalated_from: record.escalated_from ?? null,
});

const escalationView = (escalation: Escalation | undefined): CallView['escalation'] => {
  if (escalation === undefined) return null;
  const link = { to: escalation.to, call_id: escalation.call_id };
  if (escalation.refused !== undefined) {
    return { ...link, state: 'refused', reason: escalation.refused };
  }
  if (escalation.made_at !== undefined) return { ...link, state: 'made', reason: null };
  if (escalation.due_at !== undefined) return { ...link, state: 'due', reason: null };
  return { ...link, state: 'planned', reason: escalation.problem ?? null };
};

/** One attempt as `GET /calls/{id}` shows it: its identity and what the provider said of it. */
const toDialView = (callId: string, dial: Dial): DialView => ({
  attempt: dial.attempt,
  external_id: externalIdOf(callId, dial.attempt),
  cause: dial.cause ?? 'event',
  call_session_id: dial.call_session_id ?? null,
  went_unknown: dial.went_unknown === true,
  answered_at: dial.answered_at ?? null,
  ended_at: dial.ended_at ?? null,
  result: dial.outcome?.result ?? dial.notified_result ?? null,
  finish_reason: dial.outcome?.finish_reason ?? null,
  talk_s: dial.outcome?.talk_s ?? null,
  error: dial.error ?? null,
});

const textField = (
  event: Record<string, unknown>,
  name: string,
  contact: string | undefined,
): string | null => {
  const value = event[name];
  return typeof value === 'string' ? maskContactIn(value.slice(0, 255), contact) : null;
};

/**
 * What the record keeps of the provider's notifications: the last one, as text. Only its name,
 * time, finish reason and talk time are shown (masked): the rest names the contact.
 */
const providerEventOf = (
  outcome: CallOutcome,
  contact: string | undefined,
): TimelineEntry | undefined => {
  if (outcome.event === undefined) return undefined;
  let event: unknown;
  try {
    event = typeof outcome.event === 'string' ? JSON.parse(outcome.event) : outcome.event;
  } catch {
    // Cut at its size limit: nothing of it is shown but that there was one.
    event = {};
  }
  const fields = (typeof event === 'object' && event !== null ? event : {}) as Record<
    string,
    unknown
  >;
  const name = textField(fields, 'event', contact);
  const talk = fields.talk_time_duration;
  return {
    type: 'provider_event',
    at:
      textField(fields, 'notification_time', contact) ??
      (name === 'ended' ? (outcome.ended_at ?? null) : null),
    event: name,
    finish_reason: textField(fields, 'finish_reason', contact),
    talk_time_duration: typeof talk === 'number' ? talk : null,
  };
};

/**
 * The call's story, oldest first: its status changes (the last 20), the provider's last
 * notification, what its report said of each attempt, and its status callbacks' deliveries (the
 * last few, each at its latest attempt).
 */
export const timelineOf = (record: CallRecord): TimelineEntry[] => {
  const entries: TimelineEntry[] = record.history.map((entry) => ({
    type: 'status',
    at: entry.at,
    status: entry.status,
    // Reasons are written masked where a provider's text enters them: ids in them stay whole.
    reason: entry.reason ?? null,
  }));
  const event =
    record.outcome === undefined
      ? undefined
      : providerEventOf(record.outcome, record.request?.params.contact);
  if (event !== undefined) entries.push(event);
  for (const dial of allDials(record)) {
    if (dial.outcome === undefined) continue;
    entries.push({
      type: 'report',
      at: dial.reported_at ?? dial.outcome.ended_at,
      attempt: dial.attempt,
      call_session_id: dial.call_session_id ?? null,
      result: dial.outcome.result,
      finish_reason: dial.outcome.finish_reason,
      talk_s: dial.outcome.talk_s,
      wait_s: dial.outcome.wait_s,
      ended_at: dial.outcome.ended_at,
    });
  }
  const deliveries = Object.values(record.callback_log ?? {})
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    .slice(-CALLBACKS_SHOWN);
  for (const delivery of deliveries) {
    entries.push({
      type: 'callback',
      at: delivery.at,
      webhook_id: delivery.webhook_id,
      status: delivery.status ?? null,
      outcome: delivery.outcome,
      attempts: delivery.attempts,
      status_code: delivery.status_code ?? null,
      last_error: delivery.last_error ?? null,
      next_attempt_at: delivery.next_attempt_at ?? null,
    });
  }
  // Entries without a time (an event that named none) go after the rest (the sort is stable).
  const timed = entries.filter((entry) => entry.at !== null);
  timed.sort((a, b) => ((a.at ?? '') < (b.at ?? '') ? -1 : (a.at ?? '') > (b.at ?? '') ? 1 : 0));
  return [...timed, ...entries.filter((entry) => entry.at === null)];
};

/**
 * When the sender says the event happened, when callhook accepted it, first placed the call (by
 * its history, which keeps the last 20 changes), and when the customer answered (the last
 * attempt that was).
 */
export const timingsOf = (record: CallRecord): CallTimings => ({
  sender_event_at: record.sender_event_at ?? null,
  accepted_at: record.created_at,
  placed_at: record.history.find((entry) => entry.status === 'placed')?.at ?? null,
  answered_at:
    allDials(record).findLast((dial) => dial.answered_at !== undefined)?.answered_at ?? null,
});

/** What `GET /calls/{id}` shows: the call's view, its timings and its timeline. */
export const toCallDetail = (record: CallRecord): CallDetail => ({
  ...toCallView(record),
  key_source: record.key_source ?? null,
  request:
    record.request === undefined
      ? null
      : {
          method: record.request.method,
          params: maskFields(record.request.params, record.request.params.contact) as Record<
            string,
            unknown
          >,
        },
  timings: timingsOf(record),
  timeline: timelineOf(record),
});

/** What `GET /calls/{id}/event` shows: the event as kept (masked when it was), or that none was. */
export const toCallEvent = (callId: string, kept: KeptEvent | undefined): CallEvent =>
  kept === undefined
    ? { call_id: callId, payload: null, truncated: false, received_bytes: null, read: [] }
    : {
        call_id: callId,
        payload: kept.payload,
        truncated: kept.truncated,
        received_bytes: kept.received_bytes,
        read: kept.read,
      };
