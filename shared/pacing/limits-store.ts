import type { LimitsSnapshot } from './limits.ts';
import type { LimitWindow } from './points-budget.ts';

export type ReserveOutcome =
  | { granted: true }
  | { granted: false; window: LimitWindow; until: Date };

/** Port: the per-account points budget every dispatcher shares (DynamoDB on AWS and locally). */
export interface LimitsStore {
  /** Takes `points` from the account's budget, or says until when there are none to take. */
  reserve(account: string, points: number, now: Date): Promise<ReserveOutcome>;
  /** Folds what a reply said about the account's limits into the budget. */
  observe(account: string, snapshot: LimitsSnapshot): Promise<void>;
}
