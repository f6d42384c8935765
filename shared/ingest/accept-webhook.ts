import type { CallRecord } from '../calls/call-record.ts';
import { dispatchMessageOf } from '../calls/dispatch-queue.ts';
import { callIdFor } from '../calls/idempotency.ts';
import type { KeptEvent } from '../calls/kept-event.ts';
import type { AccountConfig, RouteConfig } from '../config/schema.ts';
import type {
  HookAccepted,
  HookCancelRecorded,
  HookDuplicate,
  HookIgnored,
  HookSkipped,
} from '../contract/hook-schemas.ts';
import { parsePayload } from '../http/parse-body.ts';
import { ProblemError, quoteInput } from '../http/problem-error.ts';
import type { RawRequest } from '../http/raw-request.ts';
import { maskPhone } from '../logging/mask.ts';
import { handshakeOf, verifySender } from '../senders/registry.ts';
import { admitFormClient, admitFormNumber, formEventKey, rateWindowsOf } from './browser-form.ts';
import { escalationPlanOf } from './escalation-plan.ts';
import { eventTimeFrom, isStaleAt } from './event-age.ts';
import { type EventContext, readEvent } from './event-context.ts';
import { eventKeyOf, payloadOptionsFor } from './event-key.ts';
import { candidateOf } from './guardrails/candidate.ts';
import {
  keptOnReject,
  type Refusal,
  runGuardrails,
  type SkipReason,
} from './guardrails/registry.ts';
import type { IngestDeps } from './ingest-deps.ts';
import { keptEventOf } from './keep-payload.ts';
import { newCallRecord } from './new-call-record.ts';
import { readPathsOf } from './read-paths.ts';
import { cancelOnSendersWord } from './sender-cancel.ts';
import { type AcceptedEvent, recordSkip, type StoredEvent } from './skip-event.ts';

export type { IngestDeps };

/**
 * What a webhook is answered with, as the contract describes it (shared/contract/hook-schemas.ts;
 * types only, so the bundle carries no contract): 202 for a new call; 200 for a repeat of one
 * already accepted, a skipped event on an `accept` route, or an event that asks for no call (a
 * sender's connection check, a failed condition, a stale event).
 */
export type Accepted =
  | { statusCode: 202; body: HookAccepted }
  | { statusCode: 200; body: HookDuplicate | HookSkipped | HookIgnored | HookCancelRecorded };

const ignored = (reason: HookIgnored['reason']): Accepted => ({
  statusCode: 200,
  body: { status: 'ignored', reason },
});

/**
 * ingest: route → sender → the payload, read once → condition → event time → idempotency key →
 * the guardrails in order (`GUARDRAILS`) → one conditional write → enqueue. Every delivery of
 * one event lands on the same record; only the first one enqueues a new call.
 */
export const acceptWebhook = async (
  deps: IngestDeps,
  routeName: string,
  request: RawRequest,
): Promise<Accepted> => {
  const route = Object.hasOwn(deps.config.routes, routeName)
    ? deps.config.routes[routeName]
    : undefined;
  if (route === undefined)
    throw new ProblemError(
      'unknown_route',
      `No route named ${quoteInput(routeName)} is configured.`,
    );
  const account = deps.config.accounts[route.account];
  if (account === undefined) throw new Error(`route ${routeName} names a missing account`);

  // A sender's unsigned handshake (WooCommerce's creation ping) must be answered 2xx; it asks
  // for no call.
  const handshake = handshakeOf(route.auth, request);
  if (handshake !== undefined) return ignored(handshake);
  const now = deps.now();
  // A browser form: its origin and its client's window before its CAPTCHA is checked.
  if (route.auth.type === 'browser') {
    await admitFormClient(rateWindowsOf(deps), routeName, route.auth, request, now);
  }
  const verified = await verifySender(request, route.auth, deps.secrets, now);
  const event = await readEvent(route, account, parsePayload(request, payloadOptionsFor(route)));
  if (route.condition !== undefined && !(await event.holds(route.condition))) {
    deps.logger.info('event ignored', { route: routeName, reason: 'condition_not_met' });
    return ignored('condition_not_met');
  }
  // It decides staleness here and is kept as the sender's time below.
  const eventAt =
    route.event_time === undefined ? undefined : eventTimeFrom(await event.value(route.event_time));
  if (isStaleAt(eventAt, now, deps.config.retention_days)) {
    deps.logger.warn('event ignored', { route: routeName, reason: 'stale_event' });
    return ignored('stale_event');
  }
  if (route.cancels !== undefined) {
    // A cancelling route places nothing: its event is the sender's word about another call.
    if (await isTestDelivery(route, event)) return ignored('test_event');
    const named = await eventKeyOf(request, route, event, verified);
    const word = await cancelOnSendersWord(deps, {
      routeName,
      target: route.cancels,
      event: named,
      now,
    });
    return {
      statusCode: 200,
      body: {
        status: 'cancel_recorded',
        call_id: word.callId,
        call_status: word.callStatus,
        duplicate: word.duplicate,
      },
    };
  }
  const { source, key } =
    route.auth.type === 'browser'
      ? formEventKey(route, deps.numbering, event)
      : await eventKeyOf(request, route, event, verified);
  const callId = callIdFor(routeName, source, key);
  const consent =
    route.auth.type === 'browser'
      ? await admitFormNumber(rateWindowsOf(deps), {
          routeName,
          route,
          auth: route.auth,
          numbering: deps.numbering,
          event,
          callId,
          now,
        })
      : undefined;
  const candidate = candidateOf(deps, { routeName, route, account, callId, now, event });
  const verdict = await runGuardrails(candidate, deps);
  if ('refusal' in verdict) {
    const { refusal } = verdict;
    // Refused with 429 and Retry-After, the event may ring once the number has room: a sender
    // that retries then must find no skipped record in its way.
    // A browser form's refusal is the visitor's to fix and send again: nothing is kept of it.
    if (route.on_refusal === 'reject' && (!keptOnReject(refusal) || route.auth.type === 'browser'))
      throw refusal;
    const skip = await recordSkip(deps, {
      routeName,
      route,
      callId,
      event: { source, key },
      contact: event.rawContact,
      refusal,
      now,
    });
    // The event was accepted before (the guardrails or the config have changed since): this
    // delivery is a repeat of that call.
    if (skip.record.status !== 'skipped') return repeatOf(deps, skip.record, routeName);
    return skippedAnswer(route, skip.record, !skip.created, refusal);
  }
  const call = await candidate.request();
  const senderEventAt = eventAt ?? verified.signedAt?.getTime();
  const escalation = await escalationPlanOf(deps, {
    route,
    callId,
    contact: candidate.contact(),
    event,
  });
  const record = newCallRecord({
    callId,
    routeName,
    route,
    account,
    request: call,
    now,
    retentionDays: deps.config.retention_days,
    lostMessageGraceMs: deps.timing.lostMessageGraceMs,
    reason: `accepted (key from ${source})`,
    key: { source, key },
    ...(senderEventAt !== undefined && { senderEventAt }),
    extra: {
      ...(escalation !== undefined && { escalation }),
      ...(consent !== undefined && { consent }),
    },
  });
  const { status } = record;
  const dueAt = record.due_at;

  const creating = deps.store.create(record, now);
  // Masked and cut while the record's write is in flight, so its CPU adds nothing to the wait.
  // A route that keeps no payload (`keep_event: false`) makes none: nothing of it is stored.
  const kept = route.keep_event
    ? keptEventSafely(
        deps,
        callId,
        { route, account, event, contact: call.params.contact },
        request,
      )
    : undefined;
  const outcome = await creating;
  if (outcome.created) {
    // Beside the enqueue, not before it: the ring does not wait for it. Losing it loses the
    // operator a view of the payload, never the call: logged, and the sender still hears 202.
    const keeping = (
      kept === undefined
        ? Promise.resolve()
        : deps.keptEvents.keep(record.call_id, kept, record.expires_at)
    ).catch((error: unknown) => cannotKeep(deps, record.call_id, error));
    if (status === 'queued') await deps.queue.send(dispatchMessageOf(record));
    // What a hold notes once the call is stored (a merged event's link) is bookkeeping: the
    // call is stored and queued, so its failure is logged and the sender still hears 202.
    for (const hold of verdict.holds) {
      await hold.stored?.(record).catch((error: unknown) => {
        deps.logger.warn('could not note what the stored call holds', {
          call_id: record.call_id,
          error,
        });
      });
    }
    await keeping;
    deps.logger.info('call accepted', {
      call_id: record.call_id,
      route: routeName,
      status,
      contact: maskPhone(call.params.contact),
    });
    return {
      statusCode: 202,
      body: {
        call_id: record.call_id,
        status,
        duplicate: false,
        ...(dueAt !== undefined && { due_at: dueAt }),
      },
    };
  }

  const existing: StoredEvent = outcome.existing;
  for (const hold of verdict.holds) await hold.giveBack(existing);
  if (existing.status === 'skipped') return skippedAnswer(route, existing, true);
  if (existing.fingerprint !== record.fingerprint) {
    throw new ProblemError(
      'idempotency_conflict',
      'An event with the same idempotency key was already accepted with a different call (another phone or message).',
      { call_id: existing.call_id },
    );
  }
  return repeatOf(deps, existing, routeName);
};

/** Why an event's payload was not kept, in the log: the error's name only, never a value of it. */
const cannotKeep = (deps: IngestDeps, callId: string, error: unknown): void => {
  deps.logger.warn('could not keep the event payload', {
    call_id: callId,
    error: error instanceof Error ? error.name : 'unknown',
  });
};

/** The event's payload as kept (`keptEventOf`); a payload it cannot read is not kept, and said. */
const keptEventSafely = (
  deps: IngestDeps,
  callId: string,
  from: { route: RouteConfig; account: AccountConfig; event: EventContext; contact: string },
  request: RawRequest,
): KeptEvent | undefined => {
  try {
    return keptEventOf({
      payload: from.event.payload,
      read: readPathsOf(from.route, from.account),
      contact: from.contact,
      receivedBytes: request.body.length,
      browserForm: from.route.auth.type === 'browser',
    });
  } catch (error) {
    cannotKeep(deps, callId, error);
    return undefined;
  }
};

/** The answer to another delivery of an event whose call is stored. */
const repeatOf = async (
  deps: IngestDeps,
  existing: AcceptedEvent,
  routeName: string,
): Promise<Accepted> => {
  if (existing.status === 'queued') {
    // The first delivery may have stored the record and died before enqueueing it. Sending
    // again is safe: dispatch claims the record conditionally, so extra messages place no call.
    await deps.queue.send({ call_id: existing.call_id });
  }
  deps.logger.info('duplicate delivery', { call_id: existing.call_id, route: routeName });
  return {
    statusCode: 200,
    body: {
      call_id: existing.call_id,
      status: existing.status,
      duplicate: true,
      ...(existing.status === 'scheduled' &&
        existing.due_at !== undefined && { due_at: existing.due_at }),
    },
  };
};

/**
 * What the sender hears for a skipped event, by the route's `on_refusal`: 200 "skipped", or
 * the refusal itself (the stored one, for a repeat that now maps to a call).
 */
const skippedAnswer = (
  route: RouteConfig,
  skipped: CallRecord,
  duplicate: boolean,
  refusal?: Refusal,
): Accepted => {
  // A skipped record's reason is the code of the refusal that skipped it (recordSkip): a skip
  // reason, though a stored error's reason is any string to the type.
  const reason = (skipped.error?.reason ?? 'skipped') as SkipReason;
  if (route.on_refusal === 'reject') {
    throw (
      refusal ??
      new ProblemError(reason, skipped.error?.message ?? 'The event was skipped.', {
        call_id: skipped.call_id,
        ...duplicateOf(skipped),
      })
    );
  }
  return {
    statusCode: 200,
    body: {
      call_id: skipped.call_id,
      status: 'skipped',
      reason,
      duplicate,
      ...duplicateOf(skipped),
    },
  };
};

/** A sender's test delivery, where the route skips them (`test_event`, `test_events`). */
const isTestDelivery = async (route: RouteConfig, event: EventContext): Promise<boolean> =>
  route.test_event !== undefined &&
  route.test_events === 'skip' &&
  (await event.holds(route.test_event));

/** A skipped duplicate contact's link, for its answer: the call it merged into. */
const duplicateOf = (skipped: CallRecord): { duplicate_of?: string } =>
  skipped.duplicate_of === undefined ? {} : { duplicate_of: skipped.duplicate_of };
