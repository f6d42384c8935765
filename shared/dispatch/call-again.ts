import { announce } from '../calls/announce.ts';
import {
  allDials,
  currentAttempt,
  externalIdOf,
  parseExternalId,
  supersede,
} from '../calls/attempts.ts';
import type { CallRecord } from '../calls/call-record.ts';
import { change } from '../calls/lifecycle.ts';
import { stopWordOf } from '../calls/stop-words.ts';
import { CAP_WINDOW_MS, type ContactCapStore } from '../guardrails/contact-cap.ts';
import { callNotFound, notApplicable, ProblemError } from '../http/problem-error.ts';
import { maskPhone } from '../logging/mask.ts';
import type { OperatorDeps, Requester } from './operator-actions.ts';

export interface CallAgainDeps extends OperatorDeps {
  /** The per-number cap: a call made again is one more call to the number. */
  contacts: ContactCapStore;
}

/** Why no redial follows an attempt an operator asked for: it is one attempt. */
export const CALLED_AGAIN = 'called again by an operator: one attempt, no redial after it';

/**
 * Whether any attempt of the call reached the customer: its report or notification said it
 * talked, or the provider said it was answered (a report may not have come yet).
 */
export const reachedCustomer = (record: CallRecord): boolean =>
  record.outcome?.answered === true ||
  allDials(record).some(
    (dial) =>
      dial.answered_at !== undefined || (dial.outcome?.result ?? dial.notified_result) === 'talked',
  );

/**
 * Why the call cannot be made again as it is stored; undefined when it can. Only a `completed`
 * call: one still live has its own way on, a failed or unknown one is retried. Never after the
 * sender's cancel or the customer's own call; a call that talked only when confirmed twice.
 */
export const callAgainRefusal = (
  record: CallRecord,
  confirmTalked: boolean,
): string | undefined => {
  if (record.status !== 'completed') return 'only a completed call can be made again';
  const stop = stopWordOf(record);
  if (stop !== undefined) return stop;
  if (record.request === undefined) return 'it has no call to make';
  if (reachedCustomer(record) && !confirmTalked)
    return 'it talked to the customer; to call again anyway, confirm it twice (`confirm_talked`)';
  return undefined;
};

/** One call counted for the number in the last 24 hours: its call and attempt, and when. */
export interface NumberCall {
  call_id: string;
  attempt: number;
  at: string;
}

/** The calls the per-number cap counts for `contact` now, oldest first. */
export const numberCallsToday = async (
  contacts: ContactCapStore,
  contact: string,
  now: Date,
): Promise<NumberCall[]> =>
  (await contacts.counted(contact, now))
    .map((entry) => {
      const named = parseExternalId(entry.call_id);
      return {
        call_id: named?.callId ?? entry.call_id,
        attempt: named?.attempt ?? 1,
        at: new Date(entry.at).toISOString(),
      };
    })
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

/** What "call again" would do, asked before it is done: the confirmation dialog's facts. */
export interface CallAgainPreview {
  call_id: string;
  status: string;
  contact: string | null;
  /** Whether the call may be made again now (a call that talked needs `confirm_talked`). */
  allowed: boolean;
  why: string | null;
  talked: boolean;
  /** The number's calls in the last 24 hours, as the per-number cap counts them. */
  calls_today: NumberCall[];
  daily_limit: number;
}

export const callAgainPreview = async (
  deps: CallAgainDeps,
  callId: string,
): Promise<CallAgainPreview> => {
  const record = await deps.store.get(callId);
  if (record === undefined) throw callNotFound(callId);
  const contact = record.request?.params.contact;
  const today =
    contact === undefined ? [] : await numberCallsToday(deps.contacts, contact, deps.now());
  const limit = deps.config.per_number_daily_limit;
  const why =
    callAgainRefusal(record, true) ??
    (today.length >= limit ? `the number has had its ${limit} calls in 24 hours` : undefined);
  return {
    call_id: record.call_id,
    status: record.status,
    contact: contact === undefined ? null : maskPhone(contact),
    allowed: why === undefined,
    why: why ?? null,
    talked: reachedCustomer(record),
    calls_today: today,
    daily_limit: limit,
  };
};

/**
 * Starts one new attempt of a `completed` call that did not reach its customer, as an operator
 * asked: `queued` again with its own `external_id` (`<call id>-<attempt>`), counted by the
 * per-number cap under that id (charged before the write, given back if the write does not
 * happen), and with no redial after it. Decided on the record as stored: a call the sender
 * cancelled, or whose customer called in, is never made again.
 */
export const callAgain = async (
  deps: CallAgainDeps,
  callId: string,
  by: Requester,
  options: { confirmTalked: boolean },
): Promise<CallRecord> => {
  const record = await deps.store.get(callId);
  if (record === undefined) throw callNotFound(callId);
  const refused = callAgainRefusal(record, options.confirmTalked);
  if (refused !== undefined || record.request === undefined)
    throw notApplicable('not_callable_again', record, refused ?? 'it has no call to make', {
      talked: reachedCustomer(record),
    });
  const contact = record.request.params.contact;
  const now = deps.now();
  const attempt = currentAttempt(record) + 1;
  const charge = externalIdOf(callId, attempt);
  const limit = deps.config.per_number_daily_limit;
  if ((await deps.contacts.admit(contact, charge, now, limit)) === 'refused') {
    const oldest = Math.min(...(await deps.contacts.counted(contact, now)).map((e) => e.at));
    const wait = Number.isFinite(oldest) ? oldest + CAP_WINDOW_MS - now.getTime() : CAP_WINDOW_MS;
    deps.logger.warn('call again refused: per-number cap', {
      call_id: callId,
      contact: maskPhone(contact),
    });
    throw new ProblemError(
      'contact_rate_limited',
      `This number has had ${limit} calls in the last 24 hours, the most allowed.`,
      { call_id: callId },
      { headers: { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) } },
    );
  }
  const updated = await deps.store.update(
    callId,
    (current) => {
      if (callAgainRefusal(current, options.confirmTalked) !== undefined) return undefined;
      // The charge is for this attempt: a call that has moved on is decided again by a person.
      if (currentAttempt(current) + 1 !== attempt) return undefined;
      return change('callAgain', now, {
        reason: `called again by an operator (request ${by.requestId})`,
        set: {
          attempt,
          retries: (current.retries ?? 0) + 1,
          dials: supersede(current, attempt, 'again'),
          max_attempts: current.attempts + (deps.config.routes[current.route]?.max_attempts ?? 1),
          redial_stopped: CALLED_AGAIN,
          sweep_at: new Date(now.getTime() + deps.timing.lostMessageGraceMs).toISOString(),
        },
      });
    },
    record,
  );
  if (updated.kind !== 'changed') {
    // Nothing will be dialled under this charge: it must not count against the number, unless
    // another operator's call again made this very attempt meanwhile (the charge is its too).
    const madeElsewhere = updated.kind === 'unchanged' && currentAttempt(updated.record) >= attempt;
    if (!madeElsewhere) await deps.contacts.release(contact, charge);
    if (updated.kind === 'absent') throw callNotFound(callId);
    throw notApplicable(
      'not_callable_again',
      updated.record,
      callAgainRefusal(updated.record, options.confirmTalked) ??
        'the call changed meanwhile; look at it again',
      { talked: reachedCustomer(updated.record) },
    );
  }
  await deps.queue.send({ call_id: callId });
  announce(deps.logger, updated);
  return updated.record;
};
