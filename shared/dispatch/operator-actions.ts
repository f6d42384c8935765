import type { StopOutcome } from '../backends/call-backend.ts';
import { backendOfRecord } from '../backends/client-registry.ts';
import type { ConnectionSettings } from '../backends/connection.ts';
import { followUpOf } from '../backends/registry.ts';
import { announce } from '../calls/announce.ts';
import { currentAttempt, currentDial, factsOf, supersede } from '../calls/attempts.ts';
import type { CallRecord } from '../calls/call-record.ts';
import type { CallStore } from '../calls/call-store.ts';
import type { DispatchQueue } from '../calls/dispatch-queue.ts';
import { type Change, change } from '../calls/lifecycle.ts';
import { stopWordOf } from '../calls/stop-words.ts';
import type { CallhookConfig } from '../config/schema.ts';
import { callNotFound, notApplicable, ProblemError } from '../http/problem-error.ts';
import type { Logger } from '../logging/logger.ts';
import { endExpiredLease, leaseHasExpired } from './expired-lease.ts';
import { outcomeAfterMs } from './outcome-timing.ts';
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

/** The call an operator names; 404 when there is none. */
const existingCall = async (deps: OperatorDeps, callId: string): Promise<CallRecord> => {
  const record = await deps.store.get(callId);
  if (record === undefined) throw callNotFound(callId);
  return record;
};

/** How often cancel tries again on what the call became after a write it lost. */
const CANCEL_TRIES = 3;

/** Whether the provider had said the call's current attempt was answered. */
const wasAnswered = (record: CallRecord): boolean =>
  factsOf(record, currentAttempt(record))?.answered_at !== undefined ||
  record.outcome?.answered === true;

/** What cancel needs before it can decide on a call: the provider stopping it, or nothing. */
type CancelNeed = { kind: 'stop' } | { kind: 'refuse'; record: CallRecord; why: string };

/**
 * What cancel changes, decided on the call as stored (`stopped`: what the provider said when
 * asked to stop the attempt it is on, if it was asked):
 * - waiting (`queued`, `scheduled`, a redial's wait included): `cancelled`, nothing rings;
 * - `placed`: once the provider has stopped it (or its end was already notified), `completed`,
 *   released by the operator, if it had been answered, else `cancelled` with the hang-up noted;
 *   one already over at the provider with no word of its end keeps waiting for that word, with
 *   its redials stopped (on a route that redials; elsewhere there is nothing to cancel);
 * - anything else (`dialing`: a dispatcher holds it; or over): refused.
 */
const decideCancel = (
  deps: OperatorDeps,
  current: CallRecord,
  by: Requester,
  stopped: { attempt: number; outcome: StopOutcome } | undefined,
  need: (n: CancelNeed) => undefined,
): Change | undefined => {
  const now = deps.now();
  const who = `by an operator (request ${by.requestId})`;
  if (current.status === 'queued' && currentDial(current).maybe_sent === true) {
    // Sent once already, its reply lost; it goes again under the same key and may be ringing:
    // a 200 here could not keep its promise. Once placed, it can be stopped at the provider.
    return need({
      kind: 'refuse',
      record: current,
      why: 'its last send may have reached the provider; cancel it once it is placed',
    });
  }
  if (current.status === 'queued' || current.status === 'scheduled') {
    return change('cancelWaiting', now, { reason: `cancelled ${who}` });
  }
  if (current.status !== 'placed') {
    return need({
      kind: 'refuse',
      record: current,
      why: 'only waiting or ringing calls can be cancelled',
    });
  }
  const dial = factsOf(current, currentAttempt(current)) ?? { attempt: currentAttempt(current) };
  const outcome =
    dial.ended_at !== undefined
      ? 'ended'
      : stopped?.attempt === dial.attempt
        ? stopped.outcome
        : undefined;
  if (outcome === undefined) return need({ kind: 'stop' });
  const stopReason = `cancelled ${who}`;
  if (outcome === 'already_over') {
    if (
      deps.config.routes[current.route]?.redial === undefined ||
      current.redial_stopped !== undefined
    ) {
      return need({ kind: 'refuse', record: current, why: 'the call has already ended' });
    }
    return change('redialsStopped', now, {
      reason: `redials cancelled ${who}: the call had already ended`,
      set: { redial_stopped: stopReason },
    });
  }
  const ended = {
    redial_stopped: stopReason,
    outcome: { ...current.outcome, ended_at: dial.ended_at ?? now.toISOString() },
  };
  if (wasAnswered(current)) {
    return change('releaseAnswered', now, {
      reason: `released (hung up) ${who}`,
      set: {
        ...ended,
        // Its report, where the account has one, is still read, for the outcome only.
        ...(followUpOf(deps.config, current.account) === 'report' && {
          sweep_at: new Date(now.getTime() + outcomeAfterMs(deps.timing)).toISOString(),
        }),
      },
    });
  }
  const how =
    outcome === 'cancelled'
      ? 'before it rang'
      : outcome === 'hung_up'
        ? 'while it rang (hung up)'
        : 'after it had ended unanswered';
  return change('cancelRinging', now, { reason: `cancelled ${who} ${how}`, set: ended });
};

/**
 * Cancels a call: nothing more is dialled for it. A waiting call is `cancelled` and never sent;
 * a ringing one is stopped at the provider first; see `decideCancel`. Against a dispatcher
 * claiming at the same moment exactly one conditional write wins: the call is either
 * `cancelled` and never sent, or `dialing` and this answers 409. Every write is decided on the
 * call as stored, so a cancel crossing a sweeper that scheduled a redial cancels that redial.
 */
export const cancelCall = async (
  deps: OperatorDeps,
  callId: string,
  by: Requester,
): Promise<CallRecord> => {
  let record = await existingCall(deps, callId);
  let stopped: { attempt: number; outcome: StopOutcome } | undefined;
  for (let tries = 1; tries <= CANCEL_TRIES; tries += 1) {
    let needed: CancelNeed | undefined;
    const updated = await deps.store.update(
      callId,
      (current) =>
        decideCancel(deps, current, by, stopped, (n) => {
          needed = n;
          return undefined;
        }),
      record,
    );
    if (updated.kind === 'absent') throw callNotFound(callId);
    if (updated.kind === 'changed') {
      announce(deps.logger, updated);
      return updated.record;
    }
    record = updated.record;
    if (needed?.kind === 'refuse')
      throw notApplicable('not_cancellable', needed.record, needed.why);
    if (needed?.kind !== 'stop') break;
    stopped = { attempt: currentAttempt(record), outcome: await stopAtProvider(deps, record) };
  }
  throw notApplicable('not_cancellable', record, 'the call kept changing; try again');
};

/** Asks the backend to stop the call's current attempt: hang it up, or cancel it if it waits. */
const stopAtProvider = async (deps: OperatorDeps, record: CallRecord): Promise<StopOutcome> => {
  const backend = await backendOfRecord(deps, record);
  if (backend === undefined) {
    throw notApplicable('not_cancellable', record, 'its account is not configured');
  }
  try {
    const stopped = await backend.stop(record);
    deps.logger.info('call stopped', { call_id: record.call_id, stopped });
    return stopped;
  } catch (error) {
    throw new ProblemError(
      'provider_unavailable',
      'The provider did not confirm the request; nothing was changed. Try again.',
      {},
      { cause: error },
    );
  }
};

/**
 * Sends a `failed` or `unknown` call again, as a new attempt an operator asked for, with its own
 * `external_id`: what the provider says later of the earlier attempt is noted on that attempt
 * and never taken for this one. This is the only way an `unknown` call is ever dialled twice: a
 * person decided the risk is acceptable.
 */
export const retryCall = async (
  deps: OperatorDeps,
  callId: string,
  by: Requester,
): Promise<CallRecord> => {
  const record = await existingCall(deps, callId);
  const now = deps.now();
  const retried = await deps.store.update(
    callId,
    (current) => {
      if (current.status !== 'failed' && current.status !== 'unknown') return undefined;
      // The sender said the call is no longer wanted (an order cancelled), or the customer rang
      // the account: nothing more rings.
      if (stopWordOf(current) !== undefined) return undefined;
      const attempt = currentAttempt(current) + 1;
      return change('retry', now, {
        reason: `retry requested by an operator (request ${by.requestId})`,
        set: {
          attempt,
          retries: (current.retries ?? 0) + 1,
          // The attempt it follows keeps its session, outcome and error.
          dials: supersede(current, attempt, 'retry'),
          // A fresh allowance of automatic tries for this explicit attempt.
          max_attempts: current.attempts + (deps.config.routes[current.route]?.max_attempts ?? 1),
          sweep_at: new Date(now.getTime() + deps.timing.lostMessageGraceMs).toISOString(),
        },
      });
    },
    record,
  );
  if (retried.kind === 'absent') throw callNotFound(callId);
  if (retried.kind === 'unchanged') {
    throw notApplicable(
      'not_retryable',
      retried.record,
      (['failed', 'unknown'].includes(retried.record.status)
        ? stopWordOf(retried.record)
        : undefined) ?? 'only failed or unknown calls can be retried',
    );
  }
  await deps.queue.send({ call_id: callId });
  announce(deps.logger, retried);
  return retried.record;
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
