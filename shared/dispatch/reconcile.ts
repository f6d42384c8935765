import { backendFor } from '../backends/backend-for.ts';
import type { ConnectionSettings } from '../backends/call-api-connection.ts';
import type { CallBackend, Placement } from '../backends/call-backend.ts';
import type { CallRecord } from '../calls/call-record.ts';
import type { CallStore } from '../calls/call-store.ts';
import type { CallhookConfig } from '../config/schema.ts';
import type { Logger } from '../logging/logger.ts';
import { maskPhonesIn } from '../logging/mask.ts';
import { placedPatch } from './dispatch-call.ts';
import type { SweepTiming } from './sweep-timing.ts';

export interface ReconcileDeps {
  config: CallhookConfig;
  store: CallStore;
  connection: ConnectionSettings;
  logger: Logger;
  now: () => Date;
  timing: SweepTiming;
}

export type ReconcileOutcome = 'placed' | 'not_found' | 'given_up';

/**
 * An `unknown` call may have been placed after all; its backend looks for it (the Call API
 * among its active calls by `external_id`, which is our call id). Found, the record becomes
 * `placed`. After a few looks the call is left
 * `unknown` for an operator, who may retry it explicitly.
 */
export const reconcileUnknown = async (
  deps: ReconcileDeps,
  record: CallRecord,
): Promise<ReconcileOutcome> => {
  let placement: Placement | undefined;
  let backend: CallBackend | undefined;
  let lookFailed: string | undefined;
  try {
    const account = deps.config.accounts[record.account];
    if (account === undefined) throw new Error(`account "${record.account}" is not configured`);
    backend = backendFor(account, deps.connection);
    placement = await backend.find(record);
  } catch (error) {
    lookFailed = maskPhonesIn(error instanceof Error ? error.message : String(error));
  }
  const now = deps.now();
  if (placement !== undefined && backend !== undefined) {
    await deps.store.transition(
      record.call_id,
      {
        from: 'unknown',
        to: 'placed',
        at: now,
        reason: 'found at the provider after all',
        set: placedPatch(deps, record, placement, backend),
        remove: ['sweep_at'],
      },
      record,
    );
    deps.logger.info('unknown call reconciled', {
      call_id: record.call_id,
      backend_id: placement.backendId,
    });
    return 'placed';
  }
  const looks = (record.reconciliations ?? 0) + 1;
  const givingUp = looks >= deps.timing.maxReconciliations;
  const why =
    lookFailed === undefined ? 'not among the active calls' : `lookup failed: ${lookFailed}`;
  await deps.store.transition(
    record.call_id,
    {
      from: 'unknown',
      to: 'unknown',
      at: now,
      reason: givingUp ? `${why}; left for an operator` : why,
      set: givingUp
        ? { reconciliations: looks }
        : {
            reconciliations: looks,
            sweep_at: new Date(now.getTime() + deps.timing.reconcileAfterMs).toISOString(),
          },
      ...(givingUp && { remove: ['sweep_at' as const] }),
    },
    record,
  );
  if (givingUp) {
    deps.logger.error('unknown call left for an operator', {
      call_id: record.call_id,
      metric: 'CallUnknownUnresolved',
    });
  }
  return givingUp ? 'given_up' : 'not_found';
};
