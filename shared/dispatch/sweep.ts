import type { CallRecord, SweptStatus } from '../calls/call-record.ts';
import type { Chore, ChoreDeps } from './chores/chore.ts';
import { confirmOutcomes } from './chores/confirm-outcomes.ts';
import { escalateCalls } from './chores/escalate-calls.ts';
import { expireLeases } from './chores/expire-leases.ts';
import { pollReports } from './chores/poll-reports.ts';
import { reconcileUnknownCalls } from './chores/reconcile-unknown.ts';
import { releaseScheduled } from './chores/release-scheduled.ts';
import { resendLost } from './chores/resend-lost.ts';
import type { SweepDeps, SweepReport } from './sweep-deps.ts';
import { SWEEP_TIMING } from './sweep-timing.ts';

/** The chores, in the order they run (one module each, in `chores/`). */
const CHORES: readonly Chore[] = [
  // First: a linked call made by a sweeper that died before queueing it is stopped here if the
  // escalation is refused meanwhile, before \`resendLost\` could send it.
  escalateCalls,
  releaseScheduled,
  resendLost,
  expireLeases,
  pollReports,
  reconcileUnknownCalls,
  confirmOutcomes,
];

const MAX_PAGES = 10;

/**
 * The periodic chores no message triggers: release scheduled calls, re-send queued calls whose
 * message was lost, turn expired `dialing` leases into `unknown` (never a second call), ask
 * backends that report how their placed calls are getting on (and the Data API how Call API
 * calls ended, redialling where the route says), look for `unknown` calls at the provider, and
 * confirm notified ends against the report. Every step is a conditional transition, so two sweepers running at once do each
 * thing once.
 */
export const sweep = async (deps: SweepDeps): Promise<SweepReport> => {
  const choreDeps: ChoreDeps = { ...deps, timing: deps.timing ?? SWEEP_TIMING };
  const report: SweepReport = {
    released: 0,
    resent: 0,
    abandoned: 0,
    reconciled: 0,
    finished: 0,
    confirmed: 0,
    escalated: 0,
  };
  for (const chore of CHORES) {
    await forEachDue(choreDeps, chore.status, async (record) => {
      if (await chore.visit(choreDeps, record)) report[chore.counts] += 1;
    });
  }
  return report;
};

/** Visits the records due in `status`, a page at a time, each page read after the last is done. */
const forEachDue = async (
  deps: SweepDeps,
  status: SweptStatus,
  visit: (record: CallRecord) => Promise<void>,
): Promise<void> => {
  const pageSize = deps.pageSize ?? 100;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const due = await deps.store.listDue(status, deps.now(), pageSize);
    for (const record of due) {
      // One record that cannot be handled must not keep the others waiting.
      await visit(record).catch((error: unknown) => {
        deps.logger.error('sweep step failed', { call_id: record.call_id, status, error });
      });
    }
    if (due.length < pageSize) return;
  }
};
