import type { Chore } from './chore.ts';
import { later } from './chore.ts';

/** A `scheduled` call whose time came (calling hours, the day's points) goes to the queue. */
export const releaseScheduled: Chore = {
  status: 'scheduled',
  counts: 'released',
  visit: async (deps, record) => {
    const queued = await deps.store.transition(
      record.call_id,
      {
        from: 'scheduled',
        to: 'queued',
        at: deps.now(),
        reason: 'due',
        set: { sweep_at: later(deps, deps.timing.lostMessageGraceMs) },
      },
      record,
    );
    if (queued === undefined) return false;
    await deps.queue.send({ call_id: record.call_id });
    return true;
  },
};
