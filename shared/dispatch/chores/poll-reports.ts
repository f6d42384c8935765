import type { Progress } from '../../backends/call-backend.ts';
import { backendOfRecord } from '../../backends/client-registry.ts';
import type { FollowUp } from '../../backends/outcome-reports.ts';
import { followUpOf } from '../../backends/registry.ts';
import { announce } from '../../calls/announce.ts';
import { currentAttempt, currentDial, withCurrentDial } from '../../calls/attempts.ts';
import type { CallRecord } from '../../calls/call-record.ts';
import { type Change, change } from '../../calls/lifecycle.ts';
import { maskContactIn } from '../../logging/mask.ts';
import { followUpOutcome } from '../outcome-look.ts';
import { nextLookAfterFailure } from '../outcome-timing.ts';
import { MAX_POLL_INTERVAL_MS, nextPollAt } from '../poll-timing.ts';
import type { Chore, ChoreDeps } from './chore.ts';

/** What a job's progress changes, on the call as stored. */
const decideProgress = (
  deps: ChoreDeps,
  current: CallRecord,
  progress: Progress,
  now: Date,
): Change => {
  if (progress.state === 'pending') {
    const hours = deps.config.routes[current.route]?.calling_hours;
    const next = nextPollAt(current, hours, progress.dialling, now, deps.timing);
    return change('lookDeferred', now, {
      set: {
        sweep_at: next.toISOString(),
        ...(currentDial(current).failed_looks !== undefined && {
          dials: withCurrentDial(current, { failed_looks: 0 }),
        }),
      },
    });
  }
  if (progress.state === 'completed') {
    return change('reportEnded', now, {
      reason: progress.reason,
      set: { outcome: progress.outcome },
    });
  }
  if (progress.state === 'failed') {
    return change('jobFailed', now, {
      reason: progress.reason,
      set: { error: { reason: progress.reason, message: 'reported by the backend' } },
    });
  }
  return change('jobCancelled', now, { reason: progress.reason });
};

/**
 * A placed call on a backend that reports rather than notifies (JAICP) is asked how it is
 * getting on: still pending, it is asked again when `nextPollAt` says; over, it ends as reported;
 * a look that learned nothing (an unreadable report, a 5xx) is tried again later, the wait
 * doubling from `pollAfterMs` to five minutes, so an outage is not asked at every sweep.
 */
const askProgress = async (deps: ChoreDeps, record: CallRecord): Promise<boolean> => {
  const backend = await backendOfRecord(deps, record);
  if (backend?.progress === undefined) return FOLLOW_UPS.none(deps, record);
  const attempt = currentAttempt(record);
  const asRead = (current: CallRecord) =>
    current.status === 'placed' && currentAttempt(current) === attempt;
  let progress: Progress;
  try {
    progress = await backend.progress(record);
  } catch (error) {
    const now = deps.now();
    const failedLooks = currentDial(record).failed_looks ?? 0;
    const next = nextLookAfterFailure({
      now,
      failedLooks,
      baseMs: deps.timing.pollAfterMs,
      capMs: Math.max(MAX_POLL_INTERVAL_MS, deps.timing.pollAfterMs),
    }) as Date;
    deps.logger.warn('call progress: look failed', {
      call_id: record.call_id,
      error_message: maskContactIn(
        error instanceof Error ? error.message : String(error),
        record.request?.params.contact,
      ),
      next_look_at: next.toISOString(),
    });
    await deps.store.update(
      record.call_id,
      (current) =>
        asRead(current)
          ? change('lookDeferred', now, {
              set: {
                sweep_at: next.toISOString(),
                dials: withCurrentDial(current, { failed_looks: failedLooks + 1 }),
              },
            })
          : undefined,
      record,
    );
    return false;
  }
  const now = deps.now();
  const ended = await deps.store.update(
    record.call_id,
    (current) => (asRead(current) ? decideProgress(deps, current, progress, now) : undefined),
    record,
  );
  if (ended.kind !== 'changed' || ended.change.name === 'lookDeferred') return false;
  announce(deps.logger, ended, { reason: progress.state === 'pending' ? '' : progress.reason });
  return true;
};

/**
 * How each kind of follow-up visits a placed call (`BackendEntry.followUp`); true when the visit
 * finished it. A call on an account with reports is looked up in them (`followUpOutcome`), and
 * may be redialled; one with neither reports nor a job to ask (an account whose Data API key
 * was removed) ends as its notification left it, or is left alone, and is not listed again.
 */
const FOLLOW_UPS: Record<FollowUp, (deps: ChoreDeps, record: CallRecord) => Promise<boolean>> = {
  report: async (deps, record) => {
    const settled = await followUpOutcome(deps, record, 'report');
    return settled === 'completed' || settled === 'redialled';
  },
  progress: askProgress,
  none: async (deps, record) => (await followUpOutcome(deps, record, 'none')) === 'completed',
};

/** Placed calls the sweeper follows up, each the way its account's backend is. */
export const pollReports: Chore = {
  status: 'placed',
  counts: 'finished',
  visit: (deps, record) => FOLLOW_UPS[followUpOf(deps.config, record.account)](deps, record),
};
