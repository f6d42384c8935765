import type { ReportedOutcome } from '../calls/dial.ts';
import type { Logger } from '../logging/logger.ts';
import type { LimitsStore } from '../pacing/limits-store.ts';

/**
 * How a placed call's end is learned after its notification, or instead of one, for an
 * account (`BackendEntry.followUp`):
 * - `report`: its outcome is read in the account's reports (`CallBackend.readReport`); only
 *   these calls can be redialled, since only a report says nobody answered;
 * - `progress`: the backend is asked how its call job is getting on (`CallBackend.progress`);
 * - `none`: nothing is learned beyond what the notifications said.
 */
export type FollowUp = 'report' | 'progress' | 'none';

/** One look in the reports for one attempt. */
export interface ReportQuery {
  /** The attempt's session id where it was learned, else the `external_id` it was placed with. */
  lookup: { sessionId: number } | { externalId: string };
  /** When the attempt started till now: the reports are asked for this span only. */
  window: { from: Date; till: Date };
  /** Whether a session still going is shown (reports list finished ones by default). */
  ongoing: boolean;
  /**
   * On a route that stops when the customer calls: whether the customer at `contact` rang the
   * account since `since` (the call's acceptance), asked once the attempt has ended.
   */
  inbound?: { contact: string; since: Date };
}

/** What the reports say of an attempt. */
export type ReportedAttempt =
  /** Ended: its outcome, and when the customer rang the account since, where asked. */
  | { kind: 'ended'; outcome: ReportedOutcome; sessionId: number; customerCalledAt?: Date }
  /** Going on still (only when asked for ongoing sessions). */
  | { kind: 'ongoing'; sessionId: number }
  /** Not shown (yet). */
  | { kind: 'absent' };

/**
 * What a look is paid from: reports have a points budget of their own, kept in the limits
 * table beside the account's call budget.
 */
export interface ReportBudget {
  limits: LimitsStore;
  account: string;
  now: () => Date;
  logger: Pick<Logger, 'warn'>;
}
