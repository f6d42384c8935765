import type { CallRecord, SweptStatus } from '../../calls/call-record.ts';
import type { SweepDeps, SweepReport } from '../sweep.ts';
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
