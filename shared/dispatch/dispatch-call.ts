import { randomUUID } from 'node:crypto';
import { BackendError } from '../backends/backend-error.ts';
import type { CallBackend, Placement } from '../backends/call-backend.ts';
import type { ConnectionSettings } from '../backends/connection.ts';
import { backendOfRecord } from '../backends/registry.ts';
import type { LimitsSnapshot } from '../callapi/limits.ts';
import type { CallRecord } from '../calls/call-record.ts';
import type { CallStore, TransitionPatch } from '../calls/call-store.ts';
import type { CallhookConfig } from '../config/schema.ts';
import { reportingAccount } from '../dataapi/reporting-account.ts';
import type { Logger } from '../logging/logger.ts';
import type { LimitsStore } from '../pacing/limits-store.ts';
import { type BackoffSettings, DEFAULT_BACKOFF } from './backoff.ts';
import { nextOpening } from './calling-hours.ts';
import { type DispatchResult, DONE, decideFailure } from './failure-decision.ts';
import { outcomeAfterMs } from './outcome-timing.ts';
import { nextPollAt } from './poll-timing.ts';
import { sessionKeyOf } from './session-key.ts';
import { SWEEP_TIMING, type SweepTiming } from './sweep-timing.ts';

export interface DispatchDeps {
  config: CallhookConfig;
  store: CallStore;
  limits: LimitsStore;
  connection: ConnectionSettings;
  logger: Logger;
  now: () => Date;
  /** How long a claim holds before the sweeper declares the call `unknown`. */
  leaseMs?: number;
  backoff?: BackoffSettings;
  timing?: SweepTiming;
}

const DEFAULT_LEASE_MS = 60_000;
const at = (ms: number) => new Date(ms).toISOString();

/**
 * dispatch: check the call may go now (age, due time, calling hours, the account's points), claim
 * the record (`queued → dialing`, conditional, with a lease), send the request with
 * `external_id` = call id, and record the outcome. A message for a record that is not `queued`
 * is a duplicate delivery and does nothing.
 */
export const dispatchCall = async (deps: DispatchDeps, callId: string): Promise<DispatchResult> => {
  const record = await deps.store.get(callId);
  if (record === undefined || record.status !== 'queued') return DONE;
  const now = deps.now();
  const route = deps.config.routes[record.route];
  const backend = await backendOfRecord(deps, record);

  if (route?.max_age_minutes !== undefined) {
    const deadline = Date.parse(record.created_at) + route.max_age_minutes * 60_000;
    if (deadline <= now.getTime()) return expire(deps, record, now, route.max_age_minutes);
  }
  if (record.due_at !== undefined && Date.parse(record.due_at) > now.getTime()) {
    return { kind: 'later', at: new Date(record.due_at) };
  }
  if (route?.calling_hours !== undefined && backend?.ownsCallingWindow !== true) {
    const opening = nextOpening(route.calling_hours, now);
    if (opening !== undefined) return schedule(deps, record, now, opening, 'outside calling hours');
  }
  // Points are taken before the claim, so a call that must wait is never claimed and released
  // again. A claim lost to another consumer wastes its point until the window resets: rare, and
  // on the safe side of the provider's limit.
  if (backend?.pointsPerCall !== undefined) {
    const reservation = await deps.limits.reserve(record.account, backend.pointsPerCall, now);
    if (!reservation.granted) {
      deps.logger.info('call deferred for limits', {
        call_id: callId,
        window: reservation.window,
        until: reservation.until.toISOString(),
      });
      return reservation.window === 'day'
        ? schedule(deps, record, now, reservation.until, 'day points spent')
        : { kind: 'later', at: reservation.until };
    }
  }

  const owner = randomUUID();
  const leaseExpiresAt = at(now.getTime() + (deps.leaseMs ?? DEFAULT_LEASE_MS));
  const claimed = await deps.store.transition(
    callId,
    {
      from: 'queued',
      to: 'dialing',
      at: now,
      set: {
        attempts: record.attempts + 1,
        lease_owner: owner,
        lease_expires_at: leaseExpiresAt,
        // A dispatcher that dies from here on leaves the lease for the sweeper to find.
        sweep_at: leaseExpiresAt,
      },
      remove: ['due_at'],
    },
    record,
  );
  // Another consumer claimed it first.
  if (claimed === undefined) return DONE;

  // `claimed` is what the claim wrote, so settling needs no read of its own.
  const settle = (to: CallRecord['status'], reason: string, set: TransitionPatch = {}) =>
    deps.store.transition(
      callId,
      {
        from: 'dialing',
        to,
        at: deps.now(),
        reason,
        owner,
        set,
        remove: ['lease_owner', 'lease_expires_at', 'sweep_at'],
      },
      claimed,
    );

  /** Ends the claim as the failure decides, then says what became of it. */
  const fail = async (failure: BackendError, idempotent: boolean): Promise<DispatchResult> => {
    const decision = decideFailure(claimed, failure, {
      timing: deps.timing ?? SWEEP_TIMING,
      backoff: deps.backoff ?? DEFAULT_BACKOFF,
      now: deps.now(),
      idempotent,
      random: Math.random,
    });
    await settle(decision.to, decision.reason, decision.set);
    if (decision.log !== undefined) {
      // The route, for the dashboard's per-route figures.
      deps.logger[decision.log.level](decision.log.message, {
        ...decision.log.attributes,
        route: claimed.route,
      });
    }
    return decision.message;
  };

  if (backend === undefined) {
    // Nothing was sent: the provider cannot have acted on it.
    return fail(notSent(`account "${claimed.account}" is not configured`), false);
  }
  let placement: Placement;
  try {
    placement = await backend.place(claimed);
  } catch (error) {
    const failure = asBackendError(error);
    await observeLimits(deps, claimed.account, failure.limits);
    return fail(failure, backend.idempotent);
  }
  // Outside the try block on purpose: if this write fails the record stays `dialing` and the
  // lease runs out (into `unknown`, or a safe repeat for an idempotent backend); it must never
  // be mistaken for a failure to send.
  await settle(
    'placed',
    'provider accepted the call',
    placedPatch(deps, claimed, placement, backend),
  );
  deps.logger.info('call placed', {
    call_id: callId,
    route: claimed.route,
    backend_id: placement.backendId,
    // Queueing, pacing, scheduling and the request itself: the dashboard's p50 and p95.
    accepted_to_placed_ms: deps.now().getTime() - Date.parse(claimed.created_at),
  });
  await observeLimits(deps, claimed.account, placement.limits);
  return DONE;
};

/**
 * What the record keeps of a placement; a backend that reports is polled by the sweeper, first
 * when `nextPollAt` says (not before the route's calling window opens), and a call on an
 * account with a Data API key is looked up in its report once it should have ended.
 */
export const placedPatch = (
  deps: { config: CallhookConfig; now: () => Date; timing?: SweepTiming },
  record: CallRecord,
  placement: Placement,
  backend: CallBackend,
): TransitionPatch => ({
  backend_id: placement.backendId,
  ...(placement.callSessionId !== undefined && {
    call_session_id: placement.callSessionId,
    session_key: sessionKeyOf(record.account, placement.callSessionId),
  }),
  ...(backend.progress !== undefined && {
    sweep_at: nextPollAt(
      record,
      deps.config.routes[record.route]?.calling_hours,
      false,
      deps.now(),
      deps.timing ?? SWEEP_TIMING,
    ).toISOString(),
  }),
  ...(backend.progress === undefined &&
    reportingAccount(deps.config, record.account) !== undefined && {
      sweep_at: new Date(
        deps.now().getTime() + outcomeAfterMs(deps.timing ?? SWEEP_TIMING),
      ).toISOString(),
    }),
});

/** Pacing is advice: a budget that cannot be written must not undo a call already placed. */
export const observeLimits = async (
  deps: Pick<DispatchDeps, 'limits' | 'logger'>,
  account: string,
  limits: LimitsSnapshot | undefined,
): Promise<void> => {
  if (limits === undefined) return;
  const { dayLimit, dayRemaining } = limits;
  if (dayLimit !== undefined && dayRemaining !== undefined && dayRemaining < dayLimit * 0.1) {
    deps.logger.warn('day points nearly spent', {
      account,
      day_remaining: dayRemaining,
      day_limit: dayLimit,
      metric: 'DayPointsLow',
    });
  }
  await deps.limits.observe(account, limits).catch((error: unknown) => {
    deps.logger.warn('could not record the account limits', { account, error });
  });
};

const expire = async (
  deps: DispatchDeps,
  record: CallRecord,
  now: Date,
  maxAgeMinutes: number,
): Promise<DispatchResult> => {
  const message = `not placed within ${maxAgeMinutes} minutes of the event`;
  const last = record.attempts_log?.at(-1);
  if (last !== undefined) {
    // A redial that came too late: the call was made, and its last attempt's end stands.
    await deps.store.transition(
      record.call_id,
      {
        from: 'queued',
        to: 'completed',
        at: now,
        reason: `expired: no redial ${maxAgeMinutes} minutes after the event`,
        set: {
          outcome: {
            ...last.outcome,
            answered: last.outcome.result === 'talked',
            duration_s: last.outcome.talk_s,
            reported_by: 'report',
          },
        },
        remove: ['sweep_at', 'due_at'],
      },
      record,
    );
    deps.logger.info('call redial expired', { call_id: record.call_id });
    return DONE;
  }
  await deps.store.transition(
    record.call_id,
    {
      from: 'queued',
      to: 'failed',
      at: now,
      reason: 'expired',
      set: { error: { reason: 'expired', message } },
      remove: ['sweep_at', 'due_at'],
    },
    record,
  );
  deps.logger.warn('call expired', { call_id: record.call_id });
  return DONE;
};

/** A wait the queue cannot hold (or that an operator should see): `scheduled` until `due`. */
const schedule = async (
  deps: DispatchDeps,
  record: CallRecord,
  now: Date,
  due: Date,
  reason: string,
): Promise<DispatchResult> => {
  await deps.store.transition(
    record.call_id,
    {
      from: 'queued',
      to: 'scheduled',
      at: now,
      reason: `${reason}: due ${due.toISOString()}`,
      set: { due_at: due.toISOString(), sweep_at: due.toISOString() },
    },
    record,
  );
  return DONE;
};

const notSent = (message: string): BackendError =>
  new BackendError({ classification: 'unreachable', message });

/** A failure the backend did not classify happened mid-request: assume the worst. */
const asBackendError = (error: unknown): BackendError =>
  error instanceof BackendError
    ? error
    : new BackendError(
        { classification: 'ambiguous', message: error instanceof Error ? error.message : 'failed' },
        { cause: error },
      );
