import { BackendError } from '../backends/backend-error.ts';
import type { CallBackend, Placement } from '../backends/call-backend.ts';
import { backendOfRecord } from '../backends/client-registry.ts';
import type { ConnectionSettings } from '../backends/connection.ts';
import { followUpOf } from '../backends/registry.ts';
import { announce } from '../calls/announce.ts';
import { currentAttempt } from '../calls/attempts.ts';
import type { CallRecord } from '../calls/call-record.ts';
import type { CallStore } from '../calls/call-store.ts';
import { type Change, change } from '../calls/lifecycle.ts';
import type { CallhookConfig } from '../config/schema.ts';
import type { Logger } from '../logging/logger.ts';
import { maskContactIn } from '../logging/mask.ts';
import type { LimitsStore } from '../pacing/limits-store.ts';
import { observeLimits, placedPatch } from './dispatch-call.ts';
import { limitWindowOf } from './failure-decision.ts';
import { lookAtReport, settleReported } from './outcome-look.ts';
import { attemptStartedAt, nextOutcomeLookAt } from './outcome-timing.ts';
import type { SweepTiming } from './sweep-timing.ts';

export interface ReconcileDeps {
  config: CallhookConfig;
  store: CallStore;
  limits: LimitsStore;
  connection: ConnectionSettings;
  logger: Logger;
  now: () => Date;
  timing: SweepTiming;
}

export type ReconcileOutcome = 'placed' | 'completed' | 'not_found' | 'waiting' | 'given_up';

/** What an attempt to look for an `unknown` call came to, when it did not find the call. */
export type Look =
  /** The backend answered, and the call is not among its active calls. */
  | { kind: 'absent' }
  /** The shared budget had no points for the lookup, so nothing was sent. */
  | { kind: 'no_points'; until: Date }
  | { kind: 'failed'; error: unknown };

/** What the record becomes after a look that did not find the call. */
export type Verdict =
  /** Nothing was learned about the call: look again at `at`, this attempt not counted. */
  | { kind: 'wait'; at: Date; why: string }
  /** A look that got an answer: counted; the next one at `next`, none after the last. */
  | { kind: 'counted'; looks: number; next: Date | undefined; why: string };

/** A `limit` refusal that names no reset time: wait out a minute, as dispatch does. */
const UNKNOWN_RESET_MS = 60_000;

const messageOf = (error: unknown, record: Pick<CallRecord, 'request'>): string =>
  maskContactIn(
    error instanceof Error ? error.message : String(error),
    record.request?.params.contact,
  );

/**
 * Only a look that got an answer counts towards the few an `unknown` call gets before it is left
 * for an operator, because only an answer says anything about the call:
 * - no points in the budget, or a `limit` refusal: wait for the reset (nothing was looked at);
 * - `unreachable` (the request never left) and `ambiguous` (it left, but no reply came back that
 *   could be read: a timeout, a dropped connection, HTTP 5xx, `internal_error`): look again later;
 * - `auth`, `config`, `rejected`, or a failure before any request (the account is gone from the
 *   config): the provider or the config answered, and waiting will not change the answer, so
 *   these count, and an operator hears of them after the last look.
 */
export const judgeLook = (
  look: Look,
  record: Pick<CallRecord, 'reconciliations' | 'request'>,
  now: Date,
  timing: Pick<SweepTiming, 'reconcileAfterMs' | 'maxReconciliations'>,
): Verdict => {
  if (look.kind === 'no_points') {
    return { kind: 'wait', at: look.until, why: 'no points for the lookup until the reset' };
  }
  let why = 'not among the active calls';
  if (look.kind === 'failed') {
    const { error } = look;
    why = `lookup failed: ${messageOf(error, record)}`;
    if (error instanceof BackendError && error.classification === 'limit') {
      const window = limitWindowOf(error);
      const resetAt = error.limits?.[window === 'day' ? 'dayResetAt' : 'minuteResetAt'];
      const at = resetAt ?? new Date(now.getTime() + UNKNOWN_RESET_MS);
      return { kind: 'wait', at, why: `${why}; waiting for the ${window} reset` };
    }
    if (
      error instanceof BackendError &&
      (error.classification === 'unreachable' || error.classification === 'ambiguous')
    ) {
      return {
        kind: 'wait',
        at: new Date(now.getTime() + timing.reconcileAfterMs),
        why: `${why}; no answer`,
      };
    }
  }
  const looks = (record.reconciliations ?? 0) + 1;
  return {
    kind: 'counted',
    looks,
    next:
      looks >= timing.maxReconciliations
        ? undefined
        : new Date(now.getTime() + timing.reconcileAfterMs),
    why,
  };
};

/** Takes the lookup's points from the account's shared budget, then looks. */
const lookFor = async (
  deps: ReconcileDeps,
  record: CallRecord,
  backend: CallBackend,
): Promise<Look | { kind: 'found'; placement: Placement }> => {
  if (backend.pointsPerLookup !== undefined) {
    const reservation = await deps.limits.reserve(
      record.account,
      backend.pointsPerLookup,
      deps.now(),
    );
    if (!reservation.granted) return { kind: 'no_points', until: reservation.until };
  }
  try {
    const lookup = await backend.find(record);
    await observeLimits(deps, record.account, lookup.limits);
    return lookup.placement === undefined
      ? { kind: 'absent' }
      : { kind: 'found', placement: lookup.placement };
  } catch (error) {
    if (error instanceof BackendError) await observeLimits(deps, record.account, error.limits);
    return { kind: 'failed', error };
  }
};

/** Only while the call is still `unknown` on the attempt that was looked for. */
const whileUnknown =
  (attempt: number, decide: (current: CallRecord) => Change | undefined) => (current: CallRecord) =>
    current.status === 'unknown' && currentAttempt(current) === attempt
      ? decide(current)
      : undefined;

const markPlaced = async (
  deps: ReconcileDeps,
  record: CallRecord,
  placement: Placement,
): Promise<ReconcileOutcome> => {
  const found = await deps.store.update(
    record.call_id,
    whileUnknown(currentAttempt(record), (current) =>
      change('found', deps.now(), {
        reason: 'found at the provider after all',
        set: placedPatch(deps, current, placement),
      }),
    ),
    record,
  );
  announce(deps.logger, found, { backend_id: placement.backendId });
  return 'placed';
};

/**
 * An `unknown` call may have been placed after all; its backend looks for it (the Call API
 * among its active calls by `external_id`, which is our call id), with points from the same
 * budget as the dispatchers. Found, the record becomes `placed`. After a few looks that got an
 * answer without it, the call is left `unknown` for an operator, who may retry it explicitly.
 *
 * On an account with a Data API key the report is asked too, by the attempt's `external_id`
 * and with ongoing sessions: a call that ended before `list.calls` could see it is found there
 * and completed with its outcome (never redialled: see `planRedial`), one still going is
 * `placed`; and the call is left for an operator only once the report's window has closed
 * without it, the report alone being asked after the few `list.calls` looks.
 */
export const reconcileUnknown = async (
  deps: ReconcileDeps,
  record: CallRecord,
): Promise<ReconcileOutcome> => {
  const backend = await backendOfRecord(deps, record);
  const reporting = followUpOf(deps.config, record.account) === 'report';
  const listing = (record.reconciliations ?? 0) < deps.timing.maxReconciliations;
  let look: Look;
  if (backend === undefined) {
    look = { kind: 'failed', error: new Error(`account "${record.account}" is not configured`) };
  } else {
    look = { kind: 'absent' };
    if (listing || !reporting) {
      const found = await lookFor(deps, record, backend);
      if (found.kind === 'found') return markPlaced(deps, record, found.placement);
      look = found;
    }
    if (reporting && look.kind === 'absent') {
      const report = await lookAtReport(deps, record, { ongoing: true });
      if (report.kind === 'ended') {
        const settled = await settleReported(deps, record, report, {
          redial: false,
          reason: 'found in the report',
        });
        return settled === 'unchanged' ? 'waiting' : 'completed';
      }
      if (report.kind === 'ongoing') {
        const placement = { backendId: String(report.sessionId), callSessionId: report.sessionId };
        return markPlaced(deps, record, placement);
      }
      if (report.kind === 'failed') look = { kind: 'failed', error: report.error };
    }
  }
  const now = deps.now();
  let verdict = judgeLook(look, record, now, deps.timing);
  if (reporting && verdict.kind === 'counted' && verdict.next === undefined) {
    // The report may show the call later: the operator is called in once its window has closed.
    const next = nextOutcomeLookAt(attemptStartedAt(record), now, deps.timing);
    if (next !== undefined) verdict = { ...verdict, next };
  }
  const attempt = currentAttempt(record);
  if (verdict.kind === 'wait') {
    // Quiet: nothing was learned about the call, and a long wait (a draining burst, an outage)
    // must not push the call's real story out of its short history.
    await deps.store.update(
      record.call_id,
      whileUnknown(attempt, () =>
        change('lookDeferred', now, { set: { sweep_at: verdict.at.toISOString() } }),
      ),
      record,
    );
    deps.logger[look.kind === 'failed' ? 'warn' : 'info']('unknown call: look deferred', {
      call_id: record.call_id,
      reason: verdict.why,
      next_look_at: verdict.at.toISOString(),
    });
    return 'waiting';
  }

  const { next, looks, why } = verdict;
  const judged = await deps.store.update(
    record.call_id,
    whileUnknown(attempt, () =>
      next === undefined
        ? change('unknownLeft', now, {
            reason: `${why}; left for an operator`,
            set: { reconciliations: looks },
          })
        : change('lookCounted', now, {
            reason: why,
            set: { reconciliations: looks, sweep_at: next.toISOString() },
          }),
    ),
    record,
  );
  announce(deps.logger, judged);
  return next === undefined ? 'given_up' : 'not_found';
};
