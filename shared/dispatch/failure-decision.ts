import type { BackendError } from '../backends/backend-error.ts';
import type { CallRecord } from '../calls/call-record.ts';
import type { Patch } from '../calls/lifecycle.ts';
import type { LogAttributes } from '../logging/logger.ts';
import { maskContactIn } from '../logging/mask.ts';
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

/** What becomes of a claimed call after a failed request: a transition out of `dialing`. */
export interface FailureDecision {
  transition:
    | 'sendUnknown'
    | 'sendRefused'
    | 'sendMisconfigured'
    | 'sendGaveUp'
    | 'sendRetrying'
    | 'sendWaitsMinute'
    | 'sendWaitsDay';
  /** The history entry's reason. */
  reason: string;
  set: Pick<Patch, 'error' | 'sweep_at' | 'due_at' | 'reconciliations' | 'attempts'>;
  /** What to do with the dispatch message. */
  message: DispatchResult;
  /** What the transition's log line carries besides the call and its route. */
  attributes: LogAttributes;
  /**
   * The request may have reached the provider (an idempotent backend's lost reply, sent again
   * under the same key): until it is placed, cancelling it cannot promise that nothing rings.
   */
  mayHaveReached?: true;
}

const at = (ms: number) => new Date(ms).toISOString();

/**
 * Decides a claimed call's fate after a failed request, from what the failure's classification
 * says the provider may have done (pure: the caller applies the transition and announces it):
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
  const { classification } = error;
  const { timing } = context;
  const now = context.now.getTime();
  // Providers name the contact in some messages (`contact_in_blacklist`): keep the last 4 digits.
  const message = maskContactIn(error.message, claimed.request?.params.contact);
  const reason = error.mnemonic ?? classification;
  const callError = { reason, message, ...(error.code !== undefined && { code: error.code }) };

  // With an idempotence key an unknown outcome is safe to send again, while attempts remain.
  const retryable =
    context.idempotent && classification === 'ambiguous' && claimed.attempts < claimed.max_attempts;
  switch (retryable ? 'unreachable' : classification) {
    case 'ambiguous':
      return {
        transition: 'sendUnknown',
        reason,
        set: {
          error: callError,
          sweep_at: at(now + timing.reconcileAfterMs),
          reconciliations: 0,
        },
        message: DONE,
        attributes: { reason, error_message: message },
      };
    case 'rejected':
    case 'config':
      return {
        // A configuration error (a refused key, an unusable secret, a number not whitelisted)
        // waits for an operator: logged as an error, with what is wrong, for the alarm to count.
        transition: classification === 'config' ? 'sendMisconfigured' : 'sendRefused',
        reason,
        set: { error: callError },
        message: DONE,
        attributes: { reason, classification, error_message: message },
      };
    case 'limit': {
      // The provider refused before doing anything, and charges nothing: not an attempt.
      const window = limitWindowOf(error);
      const resetAt = error.limits?.[window === 'day' ? 'dayResetAt' : 'minuteResetAt'];
      const due = resetAt?.getTime() ?? now + 60_000;
      const waiting = { attempts: claimed.attempts - 1, error: callError, due_at: at(due) };
      if (window === 'day') {
        return {
          transition: 'sendWaitsDay',
          reason: `${reason}: day points spent`,
          set: { ...waiting, sweep_at: at(due) },
          message: DONE,
          attributes: {},
        };
      }
      return {
        transition: 'sendWaitsMinute',
        reason: `${reason}: deferred to the minute's reset`,
        set: { ...waiting, sweep_at: at(due + timing.lostMessageGraceMs) },
        message: { kind: 'later', at: new Date(due) },
        attributes: {},
      };
    }
    case 'unreachable':
    case 'auth': {
      if (claimed.attempts >= claimed.max_attempts) {
        return {
          transition: 'sendGaveUp',
          reason: `${reason} after ${claimed.attempts} attempts`,
          set: { error: callError },
          message: DONE,
          attributes: { reason, error_message: message },
        };
      }
      const due = now + retryDelayMs(claimed.attempts, context.backoff, context.random);
      return {
        transition: 'sendRetrying',
        reason: `${reason}: will retry`,
        set: { error: callError, due_at: at(due), sweep_at: at(due + timing.lostMessageGraceMs) },
        message: { kind: 'later', at: new Date(due) },
        attributes: { reason, error_message: message },
        ...(retryable && { mayHaveReached: true as const }),
      };
    }
  }
};
