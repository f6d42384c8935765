import type { LimitsSnapshot } from './limits.ts';
import type { LimitWindow, PointsBudget } from './points-budget.ts';

export type ReserveOutcome =
  | {
      granted: true;
      /** The points taken: `points`, or up to `upTo` when the windows had them to spare. */
      taken: number;
      /** The budget as the reservation left it, when the store saw it. */
      budget?: PointsBudget;
    }
  | { granted: false; window: LimitWindow; until: Date };

export interface ReserveOptions {
  /** Take up to this many (at least `points`) if both windows hold them: points for later calls. */
  upTo?: number;
}

/** Port: the per-account points budget every dispatcher shares (DynamoDB on AWS and locally). */
export interface LimitsStore {
  /** Takes `points` from the account's budget, or says until when there are none to take. */
  reserve(
    account: string,
    points: number,
    now: Date,
    options?: ReserveOptions,
  ): Promise<ReserveOutcome>;
  /** Folds what a reply said about the account's limits into the budget. */
  observe(account: string, snapshot: LimitsSnapshot): Promise<void>;
}
