import type { LimitsSnapshot } from './limits.ts';

/**
 * One account's Call API points as all dispatchers see them: the provider's last word, minus
 * the points dispatchers have reserved since. Times are epoch milliseconds.
 */
export interface PointsBudget {
  minute_limit?: number;
  minute_remaining?: number;
  minute_reset_at?: number;
  day_limit?: number;
  day_remaining?: number;
  day_reset_at?: number;
  /** Set when a window was rolled forward by us, not reported: the next reply corrects it. */
  minute_estimated?: boolean;
  day_estimated?: boolean;
}

export type LimitWindow = 'minute' | 'day';

export type Reservation =
  | { granted: true; budget: PointsBudget }
  | { granted: false; window: LimitWindow; until: Date };

/** How long the provider's windows last; only a simulator with a scaled clock changes them. */
export type WindowLengths = Record<LimitWindow, number>;
export const PROVIDER_WINDOWS: WindowLengths = { minute: 60_000, day: 86_400_000 };

/**
 * Two reset times this close apart describe the same window: the provider reports resets in
 * whole seconds, so the same window's reset drifts by up to a second between replies.
 */
const SAME_WINDOW_MS = 1_500;

interface WindowState {
  limit: number | undefined;
  remaining: number | undefined;
  resetAt: number | undefined;
  estimated?: boolean;
}

const windowOf = (budget: PointsBudget, window: LimitWindow): WindowState => ({
  limit: budget[`${window}_limit`],
  remaining: budget[`${window}_remaining`],
  resetAt: budget[`${window}_reset_at`],
  estimated: budget[`${window}_estimated`] === true,
});

/** A window whose reset has passed starts afresh with the full limit, if we know it. */
const current = (state: WindowState, length: number, now: number): WindowState => {
  if (state.resetAt === undefined || state.resetAt > now) return state;
  const elapsed = Math.floor((now - state.resetAt) / length) + 1;
  return {
    limit: state.limit,
    remaining: state.limit,
    resetAt: state.resetAt + elapsed * length,
    estimated: true,
  };
};

const withWindow = (budget: PointsBudget, window: LimitWindow, state: WindowState) => {
  const next: PointsBudget = { ...budget };
  const set = <K extends keyof PointsBudget>(field: K, value: PointsBudget[K] | undefined) => {
    if (value === undefined) delete next[field];
    else next[field] = value;
  };
  set(`${window}_limit`, state.limit);
  set(`${window}_remaining`, state.remaining);
  set(`${window}_reset_at`, state.resetAt);
  set(`${window}_estimated`, state.estimated === true ? true : undefined);
  return next;
};

/**
 * Takes `points` from the budget if both windows have them. An account we know nothing about
 * yet is granted: the first reply teaches us its limits.
 */
export const reservePoints = (
  budget: PointsBudget,
  points: number,
  now: Date,
  lengths: WindowLengths = PROVIDER_WINDOWS,
): Reservation => {
  let next = budget;
  for (const window of ['day', 'minute'] as const) {
    const state = current(windowOf(next, window), lengths[window], now.getTime());
    if (state.remaining !== undefined && state.remaining < points) {
      return { granted: false, window, until: new Date(state.resetAt ?? now.getTime()) };
    }
    next = withWindow(next, window, {
      ...state,
      remaining: state.remaining === undefined ? undefined : state.remaining - points,
    });
  }
  return { granted: true, budget: next };
};

/**
 * Folds a reply's `metadata.limits` into the budget. Within one window the lower count wins:
 * the provider has not yet charged requests still in flight, and we have not seen what other
 * clients of the account spent. A newer window replaces the old one.
 */
export const observeLimits = (budget: PointsBudget, snapshot: LimitsSnapshot): PointsBudget => {
  let next = budget;
  for (const window of ['day', 'minute'] as const) {
    const reported: WindowState = {
      limit: snapshot[`${window}Limit`],
      remaining: snapshot[`${window}Remaining`],
      resetAt: snapshot[`${window}ResetAt`]?.getTime(),
    };
    if (reported.remaining === undefined || reported.resetAt === undefined) continue;
    const stored = windowOf(next, window);
    if (stored.resetAt === undefined || stored.remaining === undefined) {
      next = withWindow(next, window, reported);
      continue;
    }
    if (stored.estimated === true) {
      // Our guess at the window meets the provider's word: its times, the lower count.
      next = withWindow(next, window, {
        ...reported,
        remaining: Math.min(stored.remaining, reported.remaining),
      });
      continue;
    }
    // A reply that was slow to arrive may describe a window we have already left.
    if (reported.resetAt < stored.resetAt - SAME_WINDOW_MS) continue;
    const sameWindow = Math.abs(stored.resetAt - reported.resetAt) <= SAME_WINDOW_MS;
    next = withWindow(
      next,
      window,
      sameWindow
        ? {
            limit: reported.limit ?? stored.limit,
            remaining: Math.min(stored.remaining, reported.remaining),
            resetAt: stored.resetAt,
          }
        : reported,
    );
  }
  return next;
};
