import type { CallResult } from './call-result.ts';

/** Why a call could not be placed, or what the provider refused. */
export interface CallError {
  /** The provider's mnemonic (e.g. `contact_in_blacklist`) or callhook's own reason. */
  reason: string;
  message: string;
  code?: number;
}

/** How one attempt ended, as the provider's report tells it. */
export interface ReportedOutcome {
  result: CallResult;
  /** The provider's reason the result was read from; `null` where the report names none. */
  finish_reason: string | null;
  /** Seconds of conversation, and of the customer waiting before it. */
  talk_s: number;
  wait_s: number;
  ended_at: string;
}

/** Why an attempt was made: the event itself, the route's redial, an operator's retry. */
export type DialCause = 'event' | 'redial' | 'retry' | 'again';

/**
 * One dial of a call and what is known of it. A call is one event's call, under one call id,
 * however often it is dialled: a redial or an operator's retry is another attempt of the same
 * call, not another call, so the sender's id, the per-event idempotence and the operators'
 * actions keep meaning one thing. Each attempt is placed with its own `external_id`
 * (`externalIdOf`), so a report or a notification names exactly one attempt, and what it says
 * is written on that attempt alone: a late word about an earlier one never moves the call.
 *
 * The current attempt's session, outcome and error are the record's own fields (what the call
 * shows now); its entry here holds only what those do not say (it went `unknown`, looks that
 * failed, why it was made), so a call dialled once carries no entry at all and costs no more to
 * write than before attempts were kept. When a redial or a retry starts the next attempt, the
 * current one's session, outcome and error are kept in its entry (`supersede`). The facts that
 * decide whether a customer is rung again live here and in those fields, never in the history,
 * which is for people and may be cut short.
 */
export interface Dial {
  /** 1 for the first dial, then one more for each redial or retry. */
  attempt: number;
  /** Why it was made; absent for the event's own first dial. */
  cause?: Exclude<DialCause, 'event'>;
  call_session_id?: number;
  /** Its placement went unconfirmed (a lost reply, a dispatcher that died): never redialled. */
  went_unknown?: true;
  /**
   * A send of it may have reached an idempotent backend (its reply lost) and is sent again under
   * the same key: the provider may ring it though the call still waits `queued`.
   */
  maybe_sent?: true;
  answered_at?: string;
  /** When the provider said it ended (its notification, else its report). */
  ended_at?: string;
  /** What its `ended` notification suggested, until the report says. */
  notified_result?: CallResult;
  /** Its report, once read, and when. */
  outcome?: ReportedOutcome;
  reported_at?: string;
  /** Why it could not be placed, or what the provider refused. */
  error?: CallError;
  /** Looks at its report or job in a row that learned nothing: the next one waits longer. */
  failed_looks?: number;
}
