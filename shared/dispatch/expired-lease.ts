import type { ConnectionSettings } from '../backends/connection.ts';
import { backendOfRecord } from '../backends/registry.ts';
import type { CallRecord } from '../calls/call-record.ts';
import type { CallStore } from '../calls/call-store.ts';
import type { DispatchQueue } from '../calls/dispatch-queue.ts';
import type { CallhookConfig } from '../config/schema.ts';
import type { Logger } from '../logging/logger.ts';
import type { SweepTiming } from './sweep-timing.ts';

export interface ExpiredLeaseDeps {
  config: CallhookConfig;
  store: CallStore;
  queue: DispatchQueue;
  connection: ConnectionSettings;
  logger: Logger;
  now: () => Date;
  timing: SweepTiming;
}

/** A claim with no expiry cannot be held by anyone; otherwise the expiry must have passed. */
export const leaseHasExpired = (record: CallRecord, now: Date): boolean =>
  record.lease_expires_at === undefined || Date.parse(record.lease_expires_at) <= now.getTime();

export type ExpiredLeaseOutcome =
  /** The call may have been placed: `unknown`, for reconciliation and then an operator. */
  | { kind: 'unknown'; record: CallRecord }
  /** The backend takes an idempotence key, so sending again can only find the same call. */
  | { kind: 'requeued'; record: CallRecord }
  /** The lease is still held, or the record changed meanwhile: nothing was written. */
  | { kind: 'untouched' };

/**
 * Ends the claim of a dispatcher that stopped while placing a call (its lease ran out): never a
 * second call for a backend that cannot recognise a repeat. The sweeper does this for every
 * expired lease it finds; an operator can do it for one it missed (`POST /calls/{id}/abandon`).
 * `why` goes into the record's history after `lease_expired`.
 */
export const endExpiredLease = async (
  deps: ExpiredLeaseDeps,
  record: CallRecord,
  why?: string,
): Promise<ExpiredLeaseOutcome> => {
  const now = deps.now();
  if (record.status !== 'dialing' || !leaseHasExpired(record, now)) return { kind: 'untouched' };
  const later = (ms: number) => new Date(now.getTime() + ms).toISOString();
  // Only this claim: a newer claim of the same call has a lease of its own.
  const owner = record.lease_owner !== undefined ? { owner: record.lease_owner } : {};
  const backend = await backendOfRecord(deps, record);

  if (backend?.idempotent === true) {
    const requeued = await deps.store.transition(
      record.call_id,
      {
        from: 'dialing',
        to: 'queued',
        at: now,
        reason: `lease_expired: sent again under the same idempotence key${why === undefined ? '' : `; ${why}`}`,
        ...owner,
        set: { sweep_at: later(deps.timing.lostMessageGraceMs) },
        remove: ['lease_owner', 'lease_expires_at'],
      },
      record,
    );
    if (requeued === undefined) return { kind: 'untouched' };
    await deps.queue.send({ call_id: record.call_id });
    return { kind: 'requeued', record: requeued };
  }

  const abandoned = await deps.store.transition(
    record.call_id,
    {
      from: 'dialing',
      to: 'unknown',
      at: now,
      reason: why === undefined ? 'lease_expired' : `lease_expired: ${why}`,
      ...owner,
      set: {
        error: {
          reason: 'lease_expired',
          message: 'the dispatcher stopped while placing the call; it may have been placed',
        },
        sweep_at: later(deps.timing.reconcileAfterMs),
        reconciliations: 0,
      },
      remove: ['lease_owner', 'lease_expires_at'],
    },
    record,
  );
  if (abandoned === undefined) return { kind: 'untouched' };
  deps.logger.error('call outcome unknown', {
    call_id: record.call_id,
    route: record.route,
    reason: 'lease_expired',
    metric: 'CallUnknown',
  });
  return { kind: 'unknown', record: abandoned };
};
