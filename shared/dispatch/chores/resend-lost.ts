import type { Chore } from './chore.ts';
import { later } from './chore.ts';

/**
 * A `queued` call untouched past its grace period has probably lost its queue message: it is
 * sent again. A surplus message is harmless, since claims are conditional.
 */
export const resendLost: Chore = {
  status: 'queued',
  counts: 'resent',
  visit: async (deps, record) => {
    const touched = await deps.store.transition(
      record.call_id,
      {
        from: 'queued',
        to: 'queued',
        at: deps.now(),
        reason: 'message presumed lost: sent again',
        set: { sweep_at: later(deps, deps.timing.lostMessageGraceMs) },
      },
      record,
    );
    if (touched === undefined) return false;
    await deps.queue.send({ call_id: record.call_id });
    return true;
  },
};
