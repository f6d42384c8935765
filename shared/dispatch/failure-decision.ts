import type { BackendError } from '../backends/backend-error.ts';
import type { CallRecord } from '../calls/call-record.ts';
import type { TransitionPatch } from '../calls/call-store.ts';
import type { LogAttributes } from '../logging/logger.ts';
import { maskPhonesIn } from '../logging/mask.ts';
import type { LimitWindow } from '../pacing/points-budget.ts';
import { type BackoffSettings, retryDelayMs } from './backoff.ts';
import type { SweepTiming } from './sweep-timing.ts';

/**
 * - `done`: the message is settled (whatever the call's fate) and can be deleted;
 * - `later`: deliver the message again at `at` (a backoff, a limit reset); the record waits
 *   `queued` meanwhile, and the sweeper re-sends it should the message be lost.
 */
export type DispatchResult = { kind: 'done' } | { kind: 'later'; at: Date };

export const DONE: DispatchResult = { kind: 'done' };

/** Which window a `limit` failure spent: the Call API names it in `limit_type`. */
export const limitWindowOf = (error: BackendError): LimitWindow =>
  error.params?.limit_type === 'day' ? 'day' : 'minute';

/** What a failure decision needs besides the record and the error. */
export interface FailureContext {
  timing: Pick<SweepTiming, 'lostMessageGraceMs' | 'reconcileAfterMs'>;
  backoff: BackoffSettings;
  /** When the request failed. */
  now: Date;
  /** The backend takes an idempotence key: an unknown outcome may be sent again. */
  idempotent: boolean;
  /** Uniform in [0, 1): the backoff's jitter. */
  random: () => number;
}

/** A log line a decision asks for; the caller writes it once the transition is applied. */
export interface FailureLog {
  level: 'error' | 'warn';
  message: string;
  attributes: LogAttributes;
}

/** What becomes of a claimed call after a failed request: `dialing` → `to`. */
export interface FailureDecision {
  to: 'unknown' | 'failed' | 'scheduled' | 'queued';
  /** The history entry's reason. */
  reason: string;
  set: TransitionPatch;
  /** What to do with the dispatch message. */
  message: DispatchResult;
  log?: FailureLog;
}

const at = (ms: number) => new Date(ms).toISOString();

/**
 * Decides a claimed call's fate after a failed request, from what the failure's classification
 * says the provider may have done (pure: the caller applies the transition and writes the log):
 * - `ambiguous`: `unknown`, for reconciliation and then an operator, never sent again by itself;
 *   except on an idempotent backend with attempts left, where sending again is safe (as
 *   `unreachable`);
 * - `rejected`, `config`: `failed` (a `config` one is logged as an error, for the alarm);
 * - `limit`: not an attempt; the minute's spent waits `queued` for its reset, the day's is
 *   `scheduled` until its own;
 * - `unreachable`, `auth`: `queued` again after a backoff, `failed` at `max_attempts`.
 */
export const decideFailure = (
  claimed: CallRecord,
  error: BackendError,
  context: FailureContext,
): FailureDecision => {
  const callId = claimed.call_id;
  const { classification } = error;
  const { timing } = context;
  const now = context.now.getTime();
  // Providers name the contact in some messages (`contact_in_blacklist`): keep the last 4 digits.
  const message = maskPhonesIn(error.message);
  const reason = error.mnemonic ?? classification;
  const callError = { reason, message, ...(error.code !== undefined && { code: error.code }) };

  // With an idempotence key an unknown outcome is safe to send again, while attempts remain.
  const retryable =
    context.idempotent && classification === 'ambiguous' && claimed.attempts < claimed.max_attempts;
  switch (retryable ? 'unreachable' : classification) {
    case 'ambiguous':
      return {
        to: 'unknown',
        reason,
        set: {
          error: callError,
          sweep_at: at(now + timing.reconcileAfterMs),
          reconciliations: 0,
        },
        message: DONE,
        log: {
          level: 'error',
          message: 'call outcome unknown',
          attributes: {
            call_id: callId,
            reason,
            error_message: message,
            metric: 'CallUnknown',
          },
        },
      };
    case 'rejected':
    case 'config':
      return {
        to: 'failed',
        reason,
        set: { error: callError },
        message: DONE,
        // A configuration error (a refused key, an unusable secret, a number not whitelisted)
        // waits for an operator: logged as an error, with what is wrong, for the alarm to count.
        log: {
          level: classification === 'config' ? 'error' : 'warn',
          message: 'call failed',
          attributes: { call_id: callId, reason, classification, error_message: message },
        },
      };
    case 'limit': {
      // The provider refused before doing anything, and charges nothing: not an attempt.
      const window = limitWindowOf(error);
      const resetAt = error.limits?.[window === 'day' ? 'dayResetAt' : 'minuteResetAt'];
      const due = resetAt?.getTime() ?? now + 60_000;
      const waiting = { attempts: claimed.attempts - 1, error: callError, due_at: at(due) };
      if (window === 'day') {
        return {
          to: 'scheduled',
          reason: `${reason}: day points spent`,
          set: { ...waiting, sweep_at: at(due) },
          message: DONE,
        };
      }
      return {
        to: 'queued',
        reason: `${reason}: deferred to the minute's reset`,
        set: { ...waiting, sweep_at: at(due + timing.lostMessageGraceMs) },
        message: { kind: 'later', at: new Date(due) },
      };
    }
    case 'unreachable':
    case 'auth': {
      if (claimed.attempts >= claimed.max_attempts) {
        return {
          to: 'failed',
          reason: `${reason} after ${claimed.attempts} attempts`,
          set: { error: callError },
          message: DONE,
          log: {
            level: 'warn',
            message: 'call failed after retries',
            attributes: { call_id: callId, reason, error_message: message },
          },
        };
      }
      const due = now + retryDelayMs(claimed.attempts, context.backoff, context.random);
      return {
        to: 'queued',
        reason: `${reason}: will retry`,
        set: { error: callError, due_at: at(due), sweep_at: at(due + timing.lostMessageGraceMs) },
        message: { kind: 'later', at: new Date(due) },
        log: {
          level: 'warn',
          message: 'call will be retried',
          attributes: { call_id: callId, reason, error_message: message },
        },
      };
    }
  }
};
