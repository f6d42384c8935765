import type { BackendError } from '../backends/backend-error.ts';
import type { CallRecord } from '../calls/call-record.ts';
import type { TransitionPatch } from '../calls/call-store.ts';
import type { Logger } from '../logging/logger.ts';
import { maskPhonesIn } from '../logging/mask.ts';
import type { LimitWindow } from '../pacing/points-budget.ts';
import { type BackoffSettings, DEFAULT_BACKOFF, retryDelayMs } from './backoff.ts';
import { SWEEP_TIMING, type SweepTiming } from './sweep-timing.ts';

/**
 * - `done`: the message is settled (whatever the call's fate) and can be deleted;
 * - `later`: deliver the message again at `at` (a backoff, a limit reset); the record waits
 *   `queued` meanwhile, and the sweeper re-sends it should the message be lost.
 */
export type DispatchResult = { kind: 'done' } | { kind: 'later'; at: Date };

export const DONE: DispatchResult = { kind: 'done' };

/** Ends the claim: `dialing` → `to`, only while this dispatcher still holds the lease. */
export type Settle = (
  to: CallRecord['status'],
  reason: string,
  set?: TransitionPatch,
) => Promise<CallRecord | undefined>;

export interface FailureDeps {
  logger: Logger;
  now: () => Date;
  backoff?: BackoffSettings;
  timing?: SweepTiming;
}

const at = (ms: number) => new Date(ms).toISOString();

/** Which window a `limit` failure spent: the Call API names it in `limit_type`. */
export const limitWindowOf = (error: BackendError): LimitWindow =>
  error.params?.limit_type === 'day' ? 'day' : 'minute';

/** Settles a claimed call after a failed request, by what the failure says about its fate. */
export const recordFailure = async (
  deps: FailureDeps,
  claimed: CallRecord,
  error: BackendError,
  settle: Settle,
  /** The backend takes an idempotence key: an unknown outcome may be sent again. */
  idempotent: boolean,
): Promise<DispatchResult> => {
  const callId = claimed.call_id;
  const { classification } = error;
  const timing = deps.timing ?? SWEEP_TIMING;
  const now = deps.now().getTime();
  // Providers name the contact in some messages (`contact_in_blacklist`): keep the last 4 digits.
  const message = maskPhonesIn(error.message);
  const reason = error.mnemonic ?? classification;
  const callError = { reason, message, ...(error.code !== undefined && { code: error.code }) };

  // With an idempotence key an unknown outcome is safe to send again, while attempts remain.
  const retryable =
    idempotent && classification === 'ambiguous' && claimed.attempts < claimed.max_attempts;
  switch (retryable ? 'unreachable' : classification) {
    case 'ambiguous':
      await settle('unknown', reason, {
        error: callError,
        sweep_at: at(now + timing.reconcileAfterMs),
        reconciliations: 0,
      });
      deps.logger.error('call outcome unknown', {
        call_id: callId,
        reason,
        error_message: message,
        metric: 'CallUnknown',
      });
      return DONE;
    case 'rejected':
    case 'config':
      await settle('failed', reason, { error: callError });
      // A configuration error (a refused key, an unusable secret, a number not whitelisted)
      // waits for an operator: logged as an error, with what is wrong, for the alarm to count.
      deps.logger[classification === 'config' ? 'error' : 'warn']('call failed', {
        call_id: callId,
        reason,
        classification,
        error_message: message,
      });
      return DONE;
    case 'limit': {
      // The provider refused before doing anything, and charges nothing: not an attempt.
      const window = limitWindowOf(error);
      const resetAt = error.limits?.[window === 'day' ? 'dayResetAt' : 'minuteResetAt'];
      const due = resetAt?.getTime() ?? now + 60_000;
      const waiting = {
        attempts: claimed.attempts - 1,
        error: callError,
        due_at: at(due),
      };
      if (window === 'day') {
        await settle('scheduled', `${reason}: day points spent`, { ...waiting, sweep_at: at(due) });
        return DONE;
      }
      await settle('queued', `${reason}: deferred to the minute's reset`, {
        ...waiting,
        sweep_at: at(due + timing.lostMessageGraceMs),
      });
      return { kind: 'later', at: new Date(due) };
    }
    case 'unreachable':
    case 'auth': {
      if (claimed.attempts >= claimed.max_attempts) {
        await settle('failed', `${reason} after ${claimed.attempts} attempts`, {
          error: callError,
        });
        deps.logger.warn('call failed after retries', {
          call_id: callId,
          reason,
          error_message: message,
        });
        return DONE;
      }
      const due = now + retryDelayMs(claimed.attempts, deps.backoff ?? DEFAULT_BACKOFF);
      await settle('queued', `${reason}: will retry`, {
        error: callError,
        due_at: at(due),
        sweep_at: at(due + timing.lostMessageGraceMs),
      });
      deps.logger.warn('call will be retried', {
        call_id: callId,
        reason,
        error_message: message,
      });
      return { kind: 'later', at: new Date(due) };
    }
  }
};
