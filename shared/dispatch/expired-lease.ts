import { backendOfRecord } from '../backends/client-registry.ts';
import type { ConnectionSettings } from '../backends/connection.ts';
import { announce } from '../calls/announce.ts';
import { withCurrentDial } from '../calls/attempts.ts';
import type { CallRecord } from '../calls/call-record.ts';
import type { CallStore } from '../calls/call-store.ts';
import type { DispatchQueue } from '../calls/dispatch-queue.ts';
import { change } from '../calls/lifecycle.ts';
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
  const backend = await backendOfRecord(deps, record);
  const owner = record.lease_owner;
  const suffix = why === undefined ? '' : `; ${why}`;
  const ended = await deps.store.update(
    record.call_id,
    (current) => {
      // Only this claim, and only once its lease has run out: a newer claim has a lease of its own.
      if (current.status !== 'dialing' || current.lease_owner !== owner) return undefined;
      if (!leaseHasExpired(current, now)) return undefined;
      if (backend?.idempotent === true) {
        return change('leaseRequeued', now, {
          reason: `lease_expired: sent again under the same idempotence key${suffix}`,
          set: {
            sweep_at: later(deps.timing.lostMessageGraceMs),
            dials: withCurrentDial(current, { maybe_sent: true }),
          },
        });
      }
      const error = {
        reason: 'lease_expired',
        message: 'the dispatcher stopped while placing the call; it may have been placed',
      };
      return change('leaseUnknown', now, {
        reason: why === undefined ? 'lease_expired' : `lease_expired: ${why}`,
        set: {
          error,
          sweep_at: later(deps.timing.reconcileAfterMs),
          reconciliations: 0,
          dials: withCurrentDial(current, { went_unknown: true }),
        },
      });
    },
    record,
  );
  if (ended.kind !== 'changed') return { kind: 'untouched' };
  if (ended.change.name === 'leaseRequeued') {
    await deps.queue.send({ call_id: record.call_id });
    return { kind: 'requeued', record: ended.record };
  }
  announce(deps.logger, ended, { reason: 'lease_expired' });
  return { kind: 'unknown', record: ended.record };
};
