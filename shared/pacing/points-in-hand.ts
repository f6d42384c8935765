import type { LimitsSnapshot } from './limits.ts';
import type { LimitsStore, ReserveOptions, ReserveOutcome } from './limits-store.ts';
import type { PointsBudget } from './points-budget.ts';

/**
 * A dispatcher takes ahead as many calls' worth as it placed in this long before: what it will
 * likely spend in as long again, so a quiet one takes none ahead and wastes none.
 */
export const RECENT_MS = 2_000;
/** It holds at most this many calls' worth of points... */
export const MAX_CALLS_IN_HAND = 100;
/** ...and at most this share of what its last reservation left in the windows. */
export const SHARE_OF_WHAT_IS_LEFT = 8;

/** Points taken from the shared budget and not yet spent, good until `until` (epoch ms). */
interface Hand {
  points: number;
  until: number;
}

/**
 * A dispatcher's points in hand: one reservation takes the points a batch of messages needs, and,
 * while the windows have plenty and calls keep coming, points for the calls of the next moments
 * as well (as many as it reserved for in the last `RECENT_MS`), so under load most calls spend
 * points already taken instead of making a request of their own. Pacing holds: every point in
 * hand was taken from the shared budget, in the windows it was taken in, and is spent only
 * before the earlier of their resets; a point left unspent at a reset is lost (the budget never
 * gives it back), which under-uses the account, never overspends it. Bounded so that several
 * dispatchers between them hold little of a window: at most `MAX_CALLS_IN_HAND` calls' worth
 * each, and at most 1/`SHARE_OF_WHAT_IS_LEFT` of what the window had left; none taken ahead in a
 * window the budget only estimated (rolled forward, its reset not yet reported), where a batch's
 * own points are still kept (its calls are waiting for them).
 *
 * The messages of a batch that arrive together share one request: while a take is on its way,
 * the calls that find the hand empty wait for it, and it asks for their points too; one it could
 * not serve takes its own, so reservations never queue behind each other.
 */
export class PointsInHand implements LimitsStore {
  readonly #store: LimitsStore;
  readonly #hands = new Map<string, Hand>();
  /** The budget the account's last reservation left, which sizes the next one. */
  readonly #left = new Map<string, PointsBudget>();
  /** When the account's recent reservations were granted (epoch ms), oldest first. */
  readonly #recent = new Map<string, number[]>();
  /** The account's take in flight, and how many calls wait on it. */
  readonly #taking = new Map<string, { done: Promise<void>; waiting: number }>();

  constructor(store: LimitsStore) {
    this.#store = store;
  }

  async reserve(
    account: string,
    points: number,
    now: Date,
    options: ReserveOptions = {},
  ): Promise<ReserveOutcome> {
    const outcome = await this.#reserve(account, points, now, options);
    if (outcome.granted) this.#noteGranted(account, now);
    return outcome;
  }

  async #reserve(
    account: string,
    points: number,
    now: Date,
    options: ReserveOptions,
  ): Promise<ReserveOutcome> {
    if (this.#spend(account, points, now)) return { granted: true, taken: points };
    const taking = this.#taking.get(account);
    if (taking !== undefined) {
      // A take is on its way: it asks for this call's points too.
      taking.waiting += 1;
      await taking.done;
      if (this.#spend(account, points, now)) return { granted: true, taken: points };
      // It could not serve every call that waited: this one takes its own, never waiting twice,
      // and none ahead (others are taking at the same moment).
      return this.#take(account, points, now, options, 0, false);
    }
    let done!: () => void;
    const entry = { done: new Promise<void>((resolve) => (done = resolve)), waiting: 0 };
    this.#taking.set(account, entry);
    try {
      // One turn of the event loop, for the other messages of the batch to join this take.
      await new Promise((resolve) => setImmediate(resolve));
      return await this.#take(account, points, now, options, entry.waiting);
    } finally {
      this.#taking.delete(account);
      done();
    }
  }

  async observe(account: string, snapshot: LimitsSnapshot): Promise<void> {
    // The provider counts fewer than this hand holds (another client of the account spent
    // them): hold no more than it has.
    const hand = this.#hands.get(account);
    const remaining = Math.min(
      snapshot.minuteRemaining ?? Number.POSITIVE_INFINITY,
      snapshot.dayRemaining ?? Number.POSITIVE_INFINITY,
    );
    if (hand !== undefined && hand.points > remaining) hand.points = Math.max(0, remaining);
    await this.#store.observe(account, snapshot);
  }

  /**
   * Adds points to the hand: beside those it holds while they are good (takes made at once each
   * bring their own), else in their place.
   */
  #keep(account: string, points: number, until: number, now: Date): void {
    const hand = this.#hands.get(account);
    if (hand === undefined || now.getTime() >= hand.until) {
      this.#hands.set(account, { points, until });
      return;
    }
    hand.points += points;
    hand.until = Math.min(hand.until, until);
  }

  /** Spends `points` from the hand, if it holds them and its windows have not reset. */
  #spend(account: string, points: number, now: Date): boolean {
    const hand = this.#hands.get(account);
    if (hand === undefined || hand.points < points || now.getTime() >= hand.until) return false;
    hand.points -= points;
    return true;
  }

  async #take(
    account: string,
    points: number,
    now: Date,
    options: ReserveOptions,
    waitingBehind: number,
    ahead = true,
  ): Promise<ReserveOutcome> {
    const calls = Math.min(
      MAX_CALLS_IN_HAND,
      this.#affordableCalls(account, points, now),
      Math.max(1 + waitingBehind, ahead ? this.#spareCalls(account, points, now) : 0),
    );
    const upTo = Math.max(options.upTo ?? points, calls * points);
    const outcome = await this.#store.reserve(account, points, now, { upTo });
    if (!outcome.granted) return outcome;
    if (outcome.budget !== undefined) this.#left.set(account, outcome.budget);
    // The batch's points are spent at once, by calls already waiting: good until the windows'
    // resets as the budget has them, reported or estimated.
    const until = resetOf(outcome.budget, now);
    const extra = outcome.taken - points;
    if (until !== undefined && extra > 0) this.#keep(account, extra, until, now);
    return { ...outcome, taken: points };
  }

  /**
   * How many calls' worth the windows held after the last reservation (at least one: a window
   * rolled since holds more): a batch asks for no more, so a take for the batch seldom fails.
   */
  #affordableCalls(account: string, points: number, now: Date): number {
    const left = this.#left.get(account);
    if (left === undefined || resetOf(left, now) === undefined) return Number.POSITIVE_INFINITY;
    const remaining = Math.min(left.minute_remaining ?? 0, left.day_remaining ?? 0);
    return Math.max(1, Math.floor(remaining / points));
  }

  /**
   * How many calls' worth to take ahead: as many as were reserved in the last `RECENT_MS`, as
   * far as the windows can spare them by the last reservation.
   */
  #spareCalls(account: string, points: number, now: Date): number {
    const left = this.#left.get(account);
    if (left === undefined || handUntil(left, now) === undefined) return 0;
    const remaining = Math.min(left.minute_remaining ?? 0, left.day_remaining ?? 0);
    const recent = this.#recentSince(account, now).length;
    return Math.min(recent, Math.floor(remaining / points / SHARE_OF_WHAT_IS_LEFT));
  }

  #noteGranted(account: string, now: Date): void {
    const recent = this.#recentSince(account, now);
    recent.push(now.getTime());
    if (recent.length > MAX_CALLS_IN_HAND) recent.shift();
    this.#recent.set(account, recent);
  }

  /** The account's reservations granted in the last `RECENT_MS`. */
  #recentSince(account: string, now: Date): number[] {
    const recent = this.#recent.get(account) ?? [];
    const since = now.getTime() - RECENT_MS;
    while (recent.length > 0 && (recent[0] as number) <= since) recent.shift();
    return recent;
  }
}

/**
 * Until when points taken from `budget` may be spent: the earlier reset of its two windows, both
 * known and still to come; undefined when points may not be held.
 */
const resetOf = (budget: PointsBudget | undefined, now: Date): number | undefined => {
  if (budget === undefined) return undefined;
  const { minute_reset_at: minute, day_reset_at: day } = budget;
  if (minute === undefined || day === undefined) return undefined;
  const until = Math.min(minute, day);
  return until > now.getTime() ? until : undefined;
};

/**
 * Until when points may be taken ahead of the calls that will spend them: as `resetOf`, and only
 * in windows the provider reported (an estimated reset may be later than the real one).
 */
const handUntil = (budget: PointsBudget | undefined, now: Date): number | undefined =>
  budget?.minute_estimated === true || budget?.day_estimated === true
    ? undefined
    : resetOf(budget, now);
