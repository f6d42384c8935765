import { entryOf } from '../backends/registry.ts';
import type { CallRecord } from '../calls/call-record.ts';
import type { CallStore } from '../calls/call-store.ts';
import type { DispatchQueue } from '../calls/dispatch-queue.ts';
import { callIdFor, fingerprintOf } from '../calls/idempotency.ts';
import type { CallhookConfig } from '../config/schema.ts';
import type { SecretStore } from '../config/secrets.ts';
import { nextOpening } from '../dispatch/calling-hours.ts';
import type { SweepTiming } from '../dispatch/sweep-timing.ts';
import {
  CAP_WINDOW_MS,
  type CapDecision,
  type ContactCapStore,
} from '../guardrails/contact-cap.ts';
import { parsePayload } from '../http/parse-body.ts';
import { ProblemError, quoteInput } from '../http/problem-error.ts';
import type { RawRequest } from '../http/raw-request.ts';
import type { Logger } from '../logging/logger.ts';
import { maskPhone } from '../logging/mask.ts';
import { conditionHolds, mapCall } from '../routes/map-call.ts';
import type { PhoneNumbering } from '../routes/phone-numbering.ts';
import { handshakeOf, verifySender } from '../senders/registry.ts';
import { isStaleEvent } from './event-age.ts';
import { eventKeyOf, payloadOptionsFor } from './event-key.ts';

export interface IngestDeps {
  config: CallhookConfig;
  /** The numbering plans the config's routes dial (`numberingForConfig`, or compiled in). */
  numbering: PhoneNumbering;
  store: CallStore;
  queue: DispatchQueue;
  secrets: SecretStore;
  contacts: ContactCapStore;
  logger: Logger;
  now: () => Date;
  /** The sweeper's timings: how long a stored call may wait for its queue message. */
  timing: Pick<SweepTiming, 'lostMessageGraceMs'>;
}

export type Accepted =
  /** 202 for a new call, 200 for a repeat of one already accepted. */
  | {
      statusCode: 200 | 202;
      body: { call_id: string; status: CallRecord['status']; duplicate: boolean; due_at?: string };
    }
  /** 200 for an event that asks for no call: a sender's connection check, a failed condition. */
  | { statusCode: 200; body: { status: 'ignored'; reason: string } };

const ignored = (reason: string): Accepted => ({
  statusCode: 200,
  body: { status: 'ignored', reason },
});

/**
 * A cap entry this old whose call was never stored was left by an ingest that died between the
 * two writes (or lost a race it then answered 409): twice the longest an ingest may run.
 */
const ORPHAN_AFTER_MS = 60_000;

/**
 * The per-number cap. A delivery of an event already accepted is let through even when the
 * number is at its cap (its count may have aged out of the window): it places no new call.
 * Before refusing, entries for calls that were never stored stop counting: the cap counts only
 * calls that exist.
 */
const admitContact = async (
  deps: IngestDeps,
  callId: string,
  contact: string,
  now: Date,
): Promise<CapDecision> => {
  const limit = deps.config.per_number_daily_limit;
  const decision = await deps.contacts.admit(contact, callId, now, limit);
  if (decision !== 'refused') return decision;
  if ((await deps.store.get(callId)) !== undefined) return 'counted';
  if (await releaseOrphans(deps, contact, now)) {
    const again = await deps.contacts.admit(contact, callId, now, limit);
    if (again !== 'refused') return again;
  }
  deps.logger.warn('call refused: per-number cap', {
    call_id: callId,
    contact: maskPhone(contact),
  });
  throw new ProblemError(
    'contact_rate_limited',
    `This number has had ${limit} calls in the last 24 hours, the most allowed.`,
  );
};

/** Releases the number's entries whose calls do not exist; true if any was released. */
const releaseOrphans = async (deps: IngestDeps, contact: string, now: Date): Promise<boolean> => {
  const settled = now.getTime() - ORPHAN_AFTER_MS;
  let released = false;
  for (const entry of await deps.contacts.counted(contact, now)) {
    if (entry.at > settled || (await deps.store.get(entry.call_id)) !== undefined) continue;
    await deps.contacts.release(contact, entry.call_id);
    deps.logger.info('per-number cap: released a call never stored', { call_id: entry.call_id });
    released = true;
  }
  return released;
};

/**
 * A delivery that found its event's call already stored made no call, so the cap entry it
 * holds for its number must not count, except where it is the stored call's own entry:
 * - another number than the stored call's: nothing under this id calls it (a 409, or a
 *   racing delivery refused with it), whoever wrote the entry;
 * - the same number: the entry is the stored call's, unless this delivery added it after the
 *   call's own had left the 24-hour window (a repeat of an old event).
 * Whichever of two racing deliveries is stored, the entry of the stored one stays.
 */
const unchargeRepeat = async (
  deps: IngestDeps,
  existing: CallRecord,
  contact: string,
  cap: CapDecision,
  now: Date,
): Promise<void> => {
  const sameNumber = existing.request.params.contact === contact;
  const callLeftWindow = Date.parse(existing.created_at) <= now.getTime() - CAP_WINDOW_MS;
  if (!sameNumber || (cap === 'added' && callLeftWindow)) {
    await deps.contacts.release(contact, existing.call_id);
  }
};

/**
 * ingest: route → sender → payload → condition → call request (within the guardrails) →
 * idempotency key → per-number cap → one conditional write → enqueue. Every delivery of one event lands on the same record; only the first one enqueues a
 * new call.
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
  const verified = await verifySender(request, route.auth, deps.secrets, now);
  const payload = parsePayload(request, payloadOptionsFor(route));
  if (route.condition !== undefined && !(await conditionHolds(route.condition, payload))) {
    deps.logger.info('event ignored', { route: routeName, reason: 'condition_not_met' });
    return ignored('condition_not_met');
  }
  if (await isStaleEvent(route, payload, now, deps.config.retention_days)) {
    deps.logger.warn('event ignored', { route: routeName, reason: 'stale_event' });
    return ignored('stale_event');
  }
  const call = await mapCall(deps.config, deps.numbering, route, account, payload);
  const { source, key } = await eventKeyOf(request, route, payload, verified);
  const callId = callIdFor(routeName, source, key);
  const cap = await admitContact(deps, callId, call.params.contact, now);

  const at = now.toISOString();
  // Outside the route's calling hours the call waits, stored, for the sweeper to release it;
  // a backend that applies the hours itself gets the call at once, with the window.
  const opening =
    route.calling_hours === undefined || entryOf(account).capabilities.ownsCallingWindow
      ? undefined
      : nextOpening(route.calling_hours, now);
  const dueAt = opening?.toISOString();
  const status = dueAt === undefined ? 'queued' : 'scheduled';
  const record: CallRecord = {
    call_id: callId,
    route: routeName,
    account: route.account,
    status,
    request: call,
    fingerprint: fingerprintOf(call),
    attempts: 0,
    max_attempts: route.max_attempts,
    history: [
      {
        status,
        at,
        reason: `accepted (key from ${source})${dueAt === undefined ? '' : `; outside calling hours, due ${dueAt}`}`,
      },
    ],
    ...(dueAt === undefined
      ? { sweep_at: new Date(now.getTime() + deps.timing.lostMessageGraceMs).toISOString() }
      : { due_at: dueAt, sweep_at: dueAt }),
    version: 1,
    created_at: at,
    updated_at: at,
    expires_at: Math.floor(now.getTime() / 1000) + deps.config.retention_days * 86_400,
  };

  const outcome = await deps.store.create(record, now);
  if (outcome.created) {
    if (status === 'queued') await deps.queue.send({ call_id: record.call_id });
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

  const existing = outcome.existing;
  await unchargeRepeat(deps, existing, call.params.contact, cap, now);
  if (existing.fingerprint !== record.fingerprint) {
    throw new ProblemError(
      'idempotency_conflict',
      'An event with the same idempotency key was already accepted with a different call (another phone or message).',
      { call_id: existing.call_id },
    );
  }
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
