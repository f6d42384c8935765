import { backendOfRecord } from '../../backends/registry.ts';
import { nextPollAt } from '../poll-timing.ts';
import type { Chore } from './chore.ts';

/**
 * A placed call on a backend that reports rather than notifies (JAICP) is asked how it is
 * getting on: still pending, it is asked again when `nextPollAt` says; over, it ends as reported.
 */
export const pollReports: Chore = {
  status: 'placed',
  counts: 'finished',
  visit: async (deps, record) => {
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
    return ended !== undefined;
  },
};
