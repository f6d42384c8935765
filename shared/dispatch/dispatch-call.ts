import { randomUUID } from 'node:crypto';
import { BackendError } from '../backends/backend-error.ts';
import type { Placement } from '../backends/call-backend.ts';
import { backendOfRecord } from '../backends/client-registry.ts';
import type { ConnectionSettings } from '../backends/connection.ts';
import { followUpOf } from '../backends/registry.ts';
import { announce } from '../calls/announce.ts';
import { withCurrentDial } from '../calls/attempts.ts';
import type { CallRecord } from '../calls/call-record.ts';
import type { CallStore } from '../calls/call-store.ts';
import { type Change, change, type Patch } from '../calls/lifecycle.ts';
import { outcomeFromReport } from '../calls/outcome-from-report.ts';
import { stopWordOf } from '../calls/stop-words.ts';
import type { CallhookConfig } from '../config/schema.ts';
import type { Logger } from '../logging/logger.ts';
import type { LimitsSnapshot } from '../pacing/limits.ts';
import type { LimitsStore } from '../pacing/limits-store.ts';
import { nextOpening } from '../routes/calling-hours.ts';
import { type BackoffSettings, DEFAULT_BACKOFF } from './backoff.ts';
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

export const DEFAULT_LEASE_MS = 60_000;
const at = (ms: number) => new Date(ms).toISOString();

/**
 * dispatch: check the call may go now (age, due time, calling hours, the account's points), claim
 * the record (`queued → dialing`, conditional, with a lease), send the request with
 * `external_id` = call id, and record the outcome. A message for a record that is not `queued`
 * is a duplicate delivery and does nothing. `known` is the record as the message carried it:
 * decided on without a read, and if it has gone stale the claim, conditional on its version, is
 * decided again on the record as stored.
 */
export const dispatchCall = async (
  deps: DispatchDeps,
  callId: string,
  known?: CallRecord,
): Promise<DispatchResult> => {
  const now = deps.now();
  const record = isCurrent(known, callId, now) ? known : await deps.store.get(callId);
  if (record === undefined || record.status !== 'queued') return DONE;
  const route = deps.config.routes[record.route];
  const backend = await backendOfRecord(deps, record);

  if (route?.max_age_minutes !== undefined) {
    const deadline = Date.parse(record.created_at) + route.max_age_minutes * 60_000;
    if (deadline <= now.getTime()) return expire(deps, record, now, route.max_age_minutes);
  }
  if (!isDue(record, now)) return { kind: 'later', at: new Date(record.due_at as string) };
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
  const claim = await deps.store.update(
    callId,
    (current) => {
      if (current.status !== 'queued' || !isDue(current, now)) return undefined;
      // Queued again after the sender's cancel or the customer's own call (a send to retry, a
      // lease that ran out): no attempt goes out after that word.
      const stop = stopWordOf(current);
      if (stop !== undefined) {
        return change(
          current.cancelled_by_sender !== undefined ? 'senderCancel' : 'customerCalledIn',
          now,
          {
            reason: `not sent again: ${stop}`,
          },
        );
      }
      return change('claim', now, {
        set: {
          attempts: current.attempts + 1,
          lease_owner: owner,
          lease_expires_at: leaseExpiresAt,
          // A dispatcher that dies from here on leaves the lease for the sweeper to find.
          sweep_at: leaseExpiresAt,
        },
      });
    },
    record,
  );
  // Another consumer claimed it first, or an operator or the sender cancelled it.
  if (claim.kind !== 'changed') return DONE;
  if (claim.change.name !== 'claim') {
    announce(deps.logger, claim, {});
    return DONE;
  }
  const claimed = claim.record;

  /** Ends this claim, decided on the record as stored: only while this claim holds it. */
  const settle = async (decideSettle: (current: CallRecord) => Change) =>
    deps.store.update(
      callId,
      (current) =>
        current.status === 'dialing' && current.lease_owner === owner
          ? decideSettle(current)
          : undefined,
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
    const settled = await settle((current) =>
      change(decision.transition, deps.now(), {
        reason: decision.reason,
        set: {
          ...decision.set,
          // Whether this attempt may have rung is a fact of the attempt, which decides redials.
          ...(decision.transition === 'sendUnknown' && {
            dials: withCurrentDial(current, { went_unknown: true }),
          }),
          ...(decision.mayHaveReached === true && {
            dials: withCurrentDial(current, { maybe_sent: true }),
          }),
        },
      }),
    );
    announce(deps.logger, settled, decision.attributes);
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
  const placed = await settle((current) =>
    change('place', deps.now(), {
      reason: 'provider accepted the call',
      set: placedPatch(deps, current, placement),
    }),
  );
  announce(deps.logger, placed, {
    backend_id: placement.backendId,
    // Queueing, pacing, scheduling and the request itself: the dashboard's p50 and p95.
    accepted_to_placed_ms: deps.now().getTime() - Date.parse(claimed.created_at),
  });
  await observeLimits(deps, claimed.account, placement.limits);
  return DONE;
};

/** Whether a message's copy of the record may stand for a read: this call's, and not expired. */
const isCurrent = (known: CallRecord | undefined, callId: string, now: Date): known is CallRecord =>
  known !== undefined &&
  known.call_id === callId &&
  known.expires_at >= Math.floor(now.getTime() / 1000);

/** A `queued` call may be claimed unless it waits for a time still to come. */
const isDue = (record: CallRecord, now: Date): boolean =>
  record.due_at === undefined || Date.parse(record.due_at) <= now.getTime();

/** When the sweeper first follows up a placed call, by how its account's calls are followed up. */
const firstFollowUpAt = (
  deps: { config: CallhookConfig; now: () => Date; timing?: SweepTiming },
  record: CallRecord,
): Date | undefined => {
  const timing = deps.timing ?? SWEEP_TIMING;
  switch (followUpOf(deps.config, record.account)) {
    case 'progress':
      // Not before the route's calling window opens: the backend applies it.
      return nextPollAt(
        record,
        deps.config.routes[record.route]?.calling_hours,
        false,
        deps.now(),
        timing,
      );
    case 'report':
      // Once the call should have ended.
      return new Date(deps.now().getTime() + outcomeAfterMs(timing));
    case 'none':
      return undefined;
  }
};

/** What the record keeps of a placement, and when the sweeper first follows it up. */
export const placedPatch = (
  deps: { config: CallhookConfig; now: () => Date; timing?: SweepTiming },
  record: CallRecord,
  placement: Placement,
): Patch => {
  const followUpAt = firstFollowUpAt(deps, record);
  return {
    backend_id: placement.backendId,
    ...(placement.callSessionId !== undefined && {
      call_session_id: placement.callSessionId,
      session_key: sessionKeyOf(record.account, placement.callSessionId),
    }),
    ...(followUpAt !== undefined && { sweep_at: followUpAt.toISOString() }),
  };
};

/** Pacing is advice: a budget that cannot be written must not undo a call already placed. */
/** Below this share of the day's points left, dispatch logs `DayPointsLow` (its alarm's metric). */
export const DAY_POINTS_LOW_SHARE = 0.1;

export const observeLimits = async (
  deps: Pick<DispatchDeps, 'limits' | 'logger'>,
  account: string,
  limits: LimitsSnapshot | undefined,
): Promise<void> => {
  if (limits === undefined) return;
  const { dayLimit, dayRemaining } = limits;
  if (
    dayLimit !== undefined &&
    dayRemaining !== undefined &&
    dayRemaining < dayLimit * DAY_POINTS_LOW_SHARE
  ) {
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
  const expired = await deps.store.update(
    record.call_id,
    (current) => {
      if (current.status !== 'queued') return undefined;
      const last = current.dials?.findLast((dial) => dial.outcome !== undefined);
      if (last?.outcome !== undefined) {
        // A redial that came too late: the call was made, and its last attempt's end stands.
        // The call is on that attempt again, so the redial never made shows nothing it had not.
        return change('redialExpired', now, {
          reason: `expired: no redial ${maxAgeMinutes} minutes after the event`,
          set: {
            attempt: last.attempt,
            dials: current.dials?.filter((dial) => dial.attempt <= last.attempt) ?? [],
            outcome: outcomeFromReport(undefined, last.outcome),
            ...(last.call_session_id !== undefined && { call_session_id: last.call_session_id }),
          },
        });
      }
      return change('expire', now, {
        reason: 'expired',
        set: {
          error: {
            reason: 'expired',
            message: `not placed within ${maxAgeMinutes} minutes of the event`,
          },
        },
      });
    },
    record,
  );
  announce(deps.logger, expired);
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
  await deps.store.update(
    record.call_id,
    (current) =>
      current.status === 'queued'
        ? change('wait', now, {
            reason: `${reason}: due ${due.toISOString()}`,
            set: { due_at: due.toISOString(), sweep_at: due.toISOString() },
          })
        : undefined,
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
