import type { StopOutcome } from '../backends/call-backend.ts';
import type { ConnectionSettings } from '../backends/connection.ts';
import { backendOfRecord } from '../backends/registry.ts';
import type { CallRecord } from '../calls/call-record.ts';
import type { CallStore } from '../calls/call-store.ts';
import type { DispatchQueue } from '../calls/dispatch-queue.ts';
import type { CallhookConfig } from '../config/schema.ts';
import { callNotFound, notApplicable, ProblemError } from '../http/problem-error.ts';
import type { Logger } from '../logging/logger.ts';
import { endExpiredLease, leaseHasExpired } from './expired-lease.ts';
import type { SweepTiming } from './sweep-timing.ts';

export interface OperatorDeps {
  config: CallhookConfig;
  store: CallStore;
  queue: DispatchQueue;
  connection: ConnectionSettings;
  logger: Logger;
  now: () => Date;
  /**
   * The sweeper's timings: how long a retried call may wait for its queue message, when an
   * abandoned one is first looked for at the provider.
   */
  timing: SweepTiming;
}

/** Who asked, for the record's history: the request id ties it to the access log. */
export interface Requester {
  requestId: string;
}

const WAITING = ['queued', 'scheduled'] as const;

/** The call an operator names; 404 when there is none. */
const existingCall = async (deps: OperatorDeps, callId: string): Promise<CallRecord> => {
  const record = await deps.store.get(callId);
  if (record === undefined) throw callNotFound(callId);
  return record;
};

/**
 * Whether a `completed` call may still be redialled: its route redials, and its report, still
 * to be read (`sweep_at`), may yet say nobody answered.
 */
const mayStillRedial = (deps: OperatorDeps, record: CallRecord): boolean =>
  record.status === 'completed' &&
  record.sweep_at !== undefined &&
  record.redial_stopped === undefined &&
  deps.config.routes[record.route]?.redial !== undefined;

const stoppedBy = (by: Requester) => `cancelled by an operator (request ${by.requestId})`;

/**
 * The chain of a call a notification completed ends here: its report decides nothing more.
 * Undefined when another writer changed the call first.
 */
const stopRedials = (
  deps: OperatorDeps,
  record: CallRecord,
  by: Requester,
): Promise<CallRecord | undefined> =>
  deps.store.transition(
    record.call_id,
    {
      from: 'completed',
      to: 'completed',
      at: deps.now(),
      reason: `redials ${stoppedBy(by)}`,
      set: { redial_stopped: stoppedBy(by) },
    },
    record,
  );

/** How often cancel tries again on what the call became after a write it lost. */
const CANCEL_TRIES = 3;

/**
 * Cancels a call that has not rung yet (`cancelled`: no call was made), or hangs up one that is
 * active (`completed`). Against a dispatcher claiming at the same moment exactly one conditional
 * write wins: the call is either `cancelled` and never sent, or `dialing` and this answers 409.
 * On a route that redials, cancel stops the chain: a call waiting for its next attempt is
 * `cancelled`, a ringing one is hung up and never redialled, and one that has ended but whose
 * report could still ask for a redial (`completed` by a notification, or still `placed`) is
 * never redialled. Every write is conditional on the call as read: one lost to a sweeper that
 * moved the call on (a redial scheduled from the report) is tried again on what it became, so
 * the chain stops rather than the operator being told 409 while it goes on.
 */
export const cancelCall = async (
  deps: OperatorDeps,
  callId: string,
  by: Requester,
): Promise<CallRecord> => {
  let record = await existingCall(deps, callId);
  for (let tries = 1; ; tries += 1) {
    const done = await cancelOnce(deps, record, by);
    if (done !== undefined) return done;
    record = (await deps.store.get(callId)) ?? record;
    if (tries >= CANCEL_TRIES) {
      throw notApplicable('not_cancellable', record, 'the call kept changing; try again');
    }
  }
};

/** One try at cancelling the call as read; undefined when another writer changed it first. */
const cancelOnce = async (
  deps: OperatorDeps,
  record: CallRecord,
  by: Requester,
): Promise<CallRecord | undefined> => {
  if (record.status === 'placed') return releaseCall(deps, record, by);
  if (mayStillRedial(deps, record)) return stopRedials(deps, record, by);
  if (!isWaiting(record)) {
    throw notApplicable(
      'not_cancellable',
      record,
      'only waiting or ringing calls can be cancelled',
    );
  }
  const cancelled = await deps.store.transition(
    record.call_id,
    {
      from: WAITING,
      to: 'cancelled',
      at: deps.now(),
      reason: `cancelled by an operator (request ${by.requestId})`,
      remove: ['sweep_at', 'due_at'],
    },
    record,
  );
  if (cancelled !== undefined) deps.logger.info('call cancelled', { call_id: record.call_id });
  return cancelled;
};

const isWaiting = (record: CallRecord): boolean =>
  (WAITING as readonly string[]).includes(record.status);

/**
 * Asks the backend to stop a placed call: hang it up if it rings, cancel it if it waits. One
 * that has already ended is left for its report, with no redial to come (409 on a route that
 * does not redial: there is nothing to cancel). Undefined when the call has moved on to
 * something cancel must still stop (a redial the report scheduled meanwhile).
 */
const releaseCall = async (
  deps: OperatorDeps,
  record: CallRecord,
  by: Requester,
): Promise<CallRecord | undefined> => {
  const backend = await backendOfRecord(deps, record);
  if (backend === undefined) {
    throw notApplicable('not_cancellable', record, 'its account is not configured');
  }
  let stopped: StopOutcome;
  try {
    stopped = await backend.stop(record);
  } catch (error) {
    throw new ProblemError(
      'provider_unavailable',
      'The provider did not confirm the request; nothing was changed. Try again.',
      {},
      { cause: error },
    );
  }
  const redials = deps.config.routes[record.route]?.redial !== undefined;
  if (stopped === 'already_over') {
    // Ended at the provider, its report (`sweep_at`) not read yet: that report must not redial it.
    if (!redials || record.redial_stopped !== undefined || record.sweep_at === undefined) {
      throw notApplicable('not_cancellable', record, 'the call has already ended');
    }
    return deps.store.transition(
      record.call_id,
      {
        from: 'placed',
        to: 'placed',
        at: deps.now(),
        reason: `redials ${stoppedBy(by)}: the call had already ended`,
        set: { redial_stopped: stoppedBy(by) },
      },
      record,
    );
  }
  // `cancelled` means no call was made; a call that rang and was hung up is `completed`.
  const endedAt = deps.now();
  const released = await deps.store.transition(
    record.call_id,
    stopped === 'cancelled'
      ? {
          from: 'placed',
          to: 'cancelled',
          at: endedAt,
          reason: `cancelled by an operator before it rang (request ${by.requestId})`,
          remove: ['sweep_at'],
        }
      : {
          from: 'placed',
          to: 'completed',
          at: endedAt,
          reason: `released (hung up) by an operator (request ${by.requestId})`,
          set: {
            outcome: { ...record.outcome, ended_at: endedAt.toISOString() },
            // Its report is still read (if the account has a Data API key), for the outcome only.
            ...(redials && { redial_stopped: stoppedBy(by) }),
          },
        },
    record,
  );
  deps.logger.info('call stopped', { call_id: record.call_id, stopped });
  if (released !== undefined) return released;
  // The provider's notification may have ended it meanwhile: the call is over either way,
  // unless its chain goes on (the report scheduled the next attempt, or a quiet write of the
  // sweeper's left it `placed` without the stop), which cancel stops too.
  const current = (await deps.store.get(record.call_id)) ?? record;
  const chainGoesOn =
    isWaiting(current) ||
    mayStillRedial(deps, current) ||
    (redials && current.status === 'placed' && current.redial_stopped === undefined);
  return chainGoesOn ? undefined : current;
};

const RETRYABLE = ['failed', 'unknown'] as const;

/**
 * Sends a `failed` or `unknown` call again, as a new attempt an operator asked for. This is the
 * only way an `unknown` call is ever dialled twice: a person decided the risk is acceptable.
 */
export const retryCall = async (
  deps: OperatorDeps,
  callId: string,
  by: Requester,
): Promise<CallRecord> => {
  const record = await existingCall(deps, callId);
  const now = deps.now();
  const queued = await deps.store.transition(
    callId,
    {
      from: RETRYABLE,
      to: 'queued',
      at: now,
      reason: `retry requested by an operator (request ${by.requestId})`,
      // A fresh allowance of automatic attempts for this explicit one.
      set: {
        max_attempts: record.attempts + (deps.config.routes[record.route]?.max_attempts ?? 1),
        sweep_at: new Date(now.getTime() + deps.timing.lostMessageGraceMs).toISOString(),
      },
      remove: ['due_at', 'reconciliations'],
    },
    record,
  );
  if (queued === undefined) {
    const current = (await deps.store.get(callId)) ?? record;
    throw notApplicable('not_retryable', current, 'only failed or unknown calls can be retried');
  }
  await deps.queue.send({ call_id: callId });
  deps.logger.info('call retry requested', { call_id: callId });
  return queued;
};

/**
 * Ends the claim of a dispatcher that stopped while placing a call, for a `dialing` call whose
 * lease has expired and that the sweeper did not reach (its index entry was lost): the call
 * becomes `unknown`, exactly as the sweeper would make it (so it is looked for at the provider,
 * and `retry` is the explicit way to send it again); on a backend with an idempotence key
 * (JAICP) it is `queued` again instead. A lease still held belongs to a dispatcher at work: 409.
 */
export const abandonCall = async (
  deps: OperatorDeps,
  callId: string,
  by: Requester,
): Promise<CallRecord> => {
  const record = await existingCall(deps, callId);
  const refuse = (current: CallRecord): never => {
    if (current.status !== 'dialing') {
      throw notApplicable('not_abandonable', current, 'only a dialing call has a claim to abandon');
    }
    throw notApplicable(
      'not_abandonable',
      current,
      'its dispatcher still holds the lease; wait for it',
      current.lease_expires_at === undefined ? {} : { lease_expires_at: current.lease_expires_at },
    );
  };
  if (record.status !== 'dialing' || !leaseHasExpired(record, deps.now())) refuse(record);
  const ended = await endExpiredLease(
    deps,
    record,
    `abandoned by an operator (request ${by.requestId})`,
  );
  if (ended.kind === 'untouched') return refuse((await deps.store.get(callId)) ?? record);
  deps.logger.info('call abandoned', { call_id: callId, status: ended.record.status });
  return ended.record;
};
