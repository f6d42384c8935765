import type { CallRecord } from '../calls/call-record.ts';
import type { CallStore } from '../calls/call-store.ts';
import type { CallhookConfig } from '../config/schema.ts';
import type { Logger } from '../logging/logger.ts';
import { maskPhonesIn } from '../logging/mask.ts';
import { type ConnectionSettings, connectAccount } from './call-api-for-account.ts';
import { sessionKeyOf } from './session-key.ts';
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

/** Asks the provider's active calls for this call's `external_id`; undefined when it is not there. */
const findActiveSession = async (
  deps: ReconcileDeps,
  record: CallRecord,
): Promise<number | undefined> => {
  const account = deps.config.accounts[record.account];
  if (account === undefined) throw new Error(`account "${record.account}" is not configured`);
  const connection = await connectAccount(account, deps.connection);
  const { result } = await connection.call('list.calls', {});
  return result.data.find((call) => call.external_id === record.call_id)?.call_session_id;
};

/**
 * An `unknown` call may have been placed after all. `list.calls` shows the account's active
 * calls with their `external_id`, which is our call id: while the call is still ringing or
 * talking it can be found and the record becomes `placed`. After a few looks the call is left
 * `unknown` for an operator, who may retry it explicitly.
 */
export const reconcileUnknown = async (
  deps: ReconcileDeps,
  record: CallRecord,
): Promise<ReconcileOutcome> => {
  let sessionId: number | undefined;
  let lookFailed: string | undefined;
  try {
    sessionId = await findActiveSession(deps, record);
  } catch (error) {
    lookFailed = maskPhonesIn(error instanceof Error ? error.message : String(error));
  }
  const now = deps.now();
  if (sessionId !== undefined) {
    await deps.store.transition(
      record.call_id,
      {
        from: 'unknown',
        to: 'placed',
        at: now,
        reason: 'found among the active calls (list.calls)',
        set: { call_session_id: sessionId, session_key: sessionKeyOf(record.account, sessionId) },
        remove: ['sweep_at'],
      },
      record,
    );
    deps.logger.info('unknown call reconciled', { call_id: record.call_id, sessionId });
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
