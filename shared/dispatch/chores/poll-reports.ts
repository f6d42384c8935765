import { backendOfRecord } from '../../backends/registry.ts';
import { reportingAccount } from '../../dataapi/reporting-account.ts';
import { followUpOutcome } from '../outcome-look.ts';
import { nextPollAt } from '../poll-timing.ts';
import type { Chore } from './chore.ts';

/**
 * A placed call on a backend that reports rather than notifies (JAICP) is asked how it is
 * getting on: still pending, it is asked again when `nextPollAt` says; over, it ends as reported.
 * A Call API call on an account with a Data API key is looked up in its report instead
 * (`followUpOutcome`), and may be redialled.
 */
export const pollReports: Chore = {
  status: 'placed',
  counts: 'finished',
  visit: async (deps, record) => {
    if (reportingAccount(deps.config, record.account) !== undefined) {
      const settled = await followUpOutcome(deps, record);
      return settled === 'completed' || settled === 'redialled';
    }
    const backend = await backendOfRecord(deps, record);
    if (backend?.progress === undefined) return false;
    const progress = await backend.progress(record);
    const now = deps.now();
    const common = { from: 'placed' as const, at: now, remove: ['sweep_at' as const] };
    if (progress.state === 'pending') {
      const hours = deps.config.routes[record.route]?.calling_hours;
      const next = nextPollAt(record, hours, progress.dialling, now, deps.timing);
      await deps.store.transition(
        record.call_id,
        {
          from: 'placed',
          to: 'placed',
          at: now,
          quiet: true,
          set: { sweep_at: next.toISOString() },
        },
        record,
      );
      return false;
    }
    const ended = await deps.store.transition(
      record.call_id,
      progress.state === 'completed'
        ? {
            ...common,
            to: 'completed',
            reason: progress.reason,
            set: { outcome: progress.outcome },
          }
        : progress.state === 'failed'
          ? {
              ...common,
              to: 'failed',
              reason: progress.reason,
              set: { error: { reason: progress.reason, message: 'reported by the backend' } },
            }
          : { ...common, to: 'cancelled', reason: progress.reason },
      record,
    );
    if (ended === undefined) return false;
    const about = { call_id: record.call_id, route: record.route, reason: progress.reason };
    if (ended.status === 'completed')
      deps.logger.info('call completed', { ...about, metric: 'CallCompleted' });
    else if (ended.status === 'failed') deps.logger.warn('call failed', about);
    return true;
  },
};
