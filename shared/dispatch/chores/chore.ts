import type { CallRecord, SweptStatus } from '../../calls/call-record.ts';
import { change } from '../../calls/lifecycle.ts';
import type { SweepDeps, SweepReport } from '../sweep-deps.ts';
import type { SweepTiming } from '../sweep-timing.ts';

/** What a chore works with: the sweeper's ports, its timings settled. */
export type ChoreDeps = SweepDeps & { timing: SweepTiming };

/** One of the sweeper's periodic jobs: what it does to each record due in one state. */
export interface Chore {
  /** The records it visits: those due in this state (`sweep_at` passed). */
  status: SweptStatus;
  /** The report's count it adds to. */
  counts: keyof SweepReport;
  /** Handles one due record; true when it did what `counts` counts. */
  visit(deps: ChoreDeps, record: CallRecord): Promise<boolean>;
}

/** An ISO time `ms` from now. */
export const later = (deps: Pick<ChoreDeps, 'now'>, ms: number): string =>
  new Date(deps.now().getTime() + ms).toISOString();

/**
 * Puts a due record in `queued` (from `from`) and sends its message, with a fresh grace period
 * for that message; false when another writer changed the record first.
 */
export const queueAgain = async (
  deps: ChoreDeps,
  record: CallRecord,
  from: 'scheduled' | 'queued',
  reason: string,
): Promise<boolean> => {
  const name = from === 'scheduled' ? 'release' : 'resend';
  const now = deps.now().toISOString();
  const queued = await deps.store.update(
    record.call_id,
    // Still due as stored: another sweeper that got there first has moved its time on.
    (current) =>
      current.status === from && current.sweep_at !== undefined && current.sweep_at <= now
        ? change(name, deps.now(), {
            reason,
            set: { sweep_at: later(deps, deps.timing.lostMessageGraceMs) },
          })
        : undefined,
    record,
  );
  if (queued.kind !== 'changed') return false;
  await deps.queue.send({ call_id: record.call_id });
  return true;
};
