import { backendFor } from '../backends/backend-for.ts';
import type { ConnectionSettings } from '../backends/call-api-connection.ts';
import type { CallRecord, SweptStatus } from '../calls/call-record.ts';
import type { CallStore } from '../calls/call-store.ts';
import type { DispatchQueue } from '../calls/dispatch-queue.ts';
import type { CallhookConfig } from '../config/schema.ts';
import type { Logger } from '../logging/logger.ts';
import type { LimitsStore } from '../pacing/limits-store.ts';
import { endExpiredLease } from './expired-lease.ts';
import { nextPollAt } from './poll-timing.ts';
import { reconcileUnknown } from './reconcile.ts';
import { SWEEP_TIMING, type SweepTiming } from './sweep-timing.ts';

export interface SweepDeps {
  config: CallhookConfig;
  store: CallStore;
  /** The accounts' shared points budget, which reconciliation's lookups draw on too. */
  limits: LimitsStore;
  queue: DispatchQueue;
  connection: ConnectionSettings;
  logger: Logger;
  now: () => Date;
  timing?: SweepTiming;
  /** Records read per index query. */
  pageSize?: number;
}

export interface SweepReport {
  /** `scheduled` calls whose time came, sent to the queue. */
  released: number;
  /** `queued` calls whose message looked lost, sent again. */
  resent: number;
  /** `dialing` calls whose dispatcher vanished, now `unknown`. */
  abandoned: number;
  /** `unknown` calls found placed after all. */
  reconciled: number;
  /** Placed calls whose backend reported their end. */
  finished: number;
}

const MAX_PAGES = 10;

/**
 * The periodic chores no message triggers: release scheduled calls, re-send queued calls whose
 * message was lost, turn expired `dialing` leases into `unknown` (never a second call), and look
 * for `unknown` calls among the provider's active calls. Every step is a conditional transition,
 * so two sweepers running at once do each thing once.
 */
export const sweep = async (deps: SweepDeps): Promise<SweepReport> => {
  const timing = deps.timing ?? SWEEP_TIMING;
  const later = (ms: number) => new Date(deps.now().getTime() + ms).toISOString();
  const report: SweepReport = {
    released: 0,
    resent: 0,
    abandoned: 0,
    reconciled: 0,
    finished: 0,
  };

  await forEachDue(deps, 'scheduled', async (record) => {
    const queued = await deps.store.transition(
      record.call_id,
      {
        from: 'scheduled',
        to: 'queued',
        at: deps.now(),
        reason: 'due',
        set: { sweep_at: later(timing.lostMessageGraceMs) },
      },
      record,
    );
    if (queued === undefined) return;
    await deps.queue.send({ call_id: record.call_id });
    report.released += 1;
  });

  await forEachDue(deps, 'queued', async (record) => {
    const touched = await deps.store.transition(
      record.call_id,
      {
        from: 'queued',
        to: 'queued',
        at: deps.now(),
        reason: 'message presumed lost: sent again',
        set: { sweep_at: later(timing.lostMessageGraceMs) },
      },
      record,
    );
    if (touched === undefined) return;
    await deps.queue.send({ call_id: record.call_id });
    report.resent += 1;
  });

  await forEachDue(deps, 'dialing', async (record) => {
    if (record.lease_owner === undefined) return;
    // listDue reads an index, which may be stale: a lease still held is left to its holder.
    const ended = await endExpiredLease({ ...deps, timing }, record);
    if (ended.kind === 'unknown') report.abandoned += 1;
  });

  await forEachDue(deps, 'placed', async (record) => {
    const backend = backendOf(deps, record);
    if (backend?.progress === undefined) return;
    const progress = await backend.progress(record);
    const now = deps.now();
    const common = { from: 'placed' as const, at: now, remove: ['sweep_at' as const] };
    if (progress.state === 'pending') {
      const hours = deps.config.routes[record.route]?.calling_hours;
      const next = nextPollAt(record, hours, progress.dialling, now, timing);
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
      return;
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
    if (ended !== undefined) report.finished += 1;
  });

  await forEachDue(deps, 'unknown', async (record) => {
    const outcome = await reconcileUnknown({ ...deps, timing }, record);
    if (outcome === 'placed') report.reconciled += 1;
  });

  return report;
};

const backendOf = (deps: SweepDeps, record: CallRecord) => {
  const account = deps.config.accounts[record.account];
  return account === undefined ? undefined : backendFor(account, deps.connection);
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
