import { randomUUID } from 'node:crypto';
import { CallApiError } from '../callapi/call-api-error.ts';
import type { CallRecord } from '../calls/call-record.ts';
import type { CallStore, TransitionPatch } from '../calls/call-store.ts';
import type { CallhookConfig } from '../config/schema.ts';
import type { Logger } from '../logging/logger.ts';
import { maskPhonesIn } from '../logging/mask.ts';
import { type ConnectionSettings, connectAccount } from './call-api-for-account.ts';

export interface DispatchDeps {
  config: CallhookConfig;
  store: CallStore;
  connection: ConnectionSettings;
  logger: Logger;
  now: () => Date;
  /** How long a claim holds before a sweeper may declare the call `unknown`. */
  leaseMs?: number;
}

/**
 * - `done`: the message is settled (whatever the call's fate) and can be deleted;
 * - `retry`: the call went back to `queued` and the message should be delivered again later.
 */
export type DispatchResult = 'done' | 'retry';

const DEFAULT_LEASE_MS = 60_000;

/** Ends the claim: `dialing` → `to`, only while this dispatcher still holds the lease. */
type Settle = (
  to: CallRecord['status'],
  reason: string,
  set?: TransitionPatch,
) => Promise<CallRecord | undefined>;

/**
 * dispatch: claim the record (`queued → dialing`, conditional, with a lease), send the request
 * with `external_id` = call id, and record the outcome. A message for a record that is not
 * `queued` is a duplicate delivery and does nothing.
 */
export const dispatchCall = async (deps: DispatchDeps, callId: string): Promise<DispatchResult> => {
  const record = await deps.store.get(callId);
  if (record === undefined || record.status !== 'queued') return 'done';

  const owner = randomUUID();
  const claimedAt = deps.now();
  const claimed = await deps.store.transition(
    callId,
    {
      from: 'queued',
      to: 'dialing',
      at: claimedAt,
      set: {
        attempts: record.attempts + 1,
        lease_owner: owner,
        lease_expires_at: new Date(
          claimedAt.getTime() + (deps.leaseMs ?? DEFAULT_LEASE_MS),
        ).toISOString(),
      },
    },
    record,
  );
  // Another consumer claimed it first.
  if (claimed === undefined) return 'done';

  // `claimed` is what the claim wrote, so settling needs no read of its own.
  const settle: Settle = (to, reason, set = {}) =>
    deps.store.transition(
      callId,
      {
        from: 'dialing',
        to,
        at: deps.now(),
        reason,
        owner,
        set,
        remove: ['lease_owner', 'lease_expires_at'],
      },
      claimed,
    );

  let connection: Awaited<ReturnType<typeof connectAccount>>;
  try {
    const account = deps.config.accounts[claimed.account];
    if (account === undefined) throw new Error(`account "${claimed.account}" is not configured`);
    connection = await connectAccount(account, deps.connection);
  } catch (error) {
    // Nothing was sent: the provider cannot have acted on it.
    return recordFailure(deps, claimed, notSent(error), settle);
  }

  let callSessionId: number;
  try {
    const { method, params } = claimed.request;
    const { result } = await connection.call(method, { ...params, external_id: callId });
    callSessionId = result.data.call_session_id;
  } catch (error) {
    return recordFailure(deps, claimed, asCallApiError(error), settle);
  }
  // Outside the try blocks on purpose: if this write fails the record stays `dialing` and the
  // lease runs out into `unknown`; it must never be mistaken for a failure to send.
  await settle('placed', 'provider accepted the call', { call_session_id: callSessionId });
  deps.logger.info('call placed', { call_id: callId, call_session_id: callSessionId });
  return 'done';
};

const notSent = (error: unknown): CallApiError =>
  new CallApiError(
    { classification: 'unreachable', message: error instanceof Error ? error.message : 'not sent' },
    { cause: error },
  );

/** A failure the client did not classify happened mid-request: assume the worst. */
const asCallApiError = (error: unknown): CallApiError =>
  error instanceof CallApiError
    ? error
    : new CallApiError(
        { classification: 'ambiguous', message: error instanceof Error ? error.message : 'failed' },
        { cause: error },
      );

const recordFailure = async (
  deps: DispatchDeps,
  claimed: CallRecord,
  error: CallApiError,
  settle: Settle,
): Promise<DispatchResult> => {
  const callId = claimed.call_id;
  const { classification } = error;
  // Providers name the contact in some messages (`contact_in_blacklist`): keep the last 4 digits.
  const message = maskPhonesIn(error.message);
  const reason = error.mnemonic ?? classification;
  const callError = { reason, message, ...(error.code !== undefined && { code: error.code }) };

  switch (classification) {
    case 'ambiguous':
      await settle('unknown', reason, { error: callError });
      deps.logger.error('call outcome unknown', { call_id: callId, reason, message });
      return 'done';
    case 'rejected':
    case 'config':
      await settle('failed', reason, { error: callError });
      deps.logger.warn('call failed', { call_id: callId, reason, classification });
      return 'done';
    case 'unreachable':
    case 'auth':
    case 'limit': {
      if (claimed.attempts >= claimed.max_attempts) {
        await settle('failed', `${reason} after ${claimed.attempts} attempts`, {
          error: callError,
        });
        deps.logger.warn('call failed after retries', { call_id: callId, reason });
        return 'done';
      }
      await settle('queued', `${reason}: will retry`, { error: callError });
      deps.logger.warn('call will be retried', { call_id: callId, reason, message });
      return 'retry';
    }
  }
};
