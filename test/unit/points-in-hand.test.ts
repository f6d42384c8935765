import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { storedItemOf } from '../../shared/adapters/dynamodb/condition-failure.ts';
import type { LimitsSnapshot } from '../../shared/pacing/limits.ts';
import type {
  LimitsStore,
  ReserveOptions,
  ReserveOutcome,
} from '../../shared/pacing/limits-store.ts';
import { type PointsBudget, reservePoints } from '../../shared/pacing/points-budget.ts';
import { MAX_CALLS_IN_HAND, PointsInHand, RECENT_MS } from '../../shared/pacing/points-in-hand.ts';

const RESET = 60_000;

/** The shared budget in memory, taking `upTo` when both windows hold it, as the table does. */
class BudgetInMemory implements LimitsStore {
  requests = 0;
  budget: PointsBudget;

  constructor(budget: PointsBudget) {
    this.budget = budget;
  }

  async reserve(
    _account: string,
    points: number,
    now: Date,
    options: ReserveOptions = {},
  ): Promise<ReserveOutcome> {
    this.requests += 1;
    // A turn of the event loop, as a request would take: concurrent callers overlap.
    await new Promise((resolve) => setImmediate(resolve));
    for (const take of [options.upTo ?? points, points]) {
      const outcome = reservePoints(this.budget, take, now);
      if (outcome.granted) {
        this.budget = outcome.budget;
        return { granted: true, taken: take, budget: outcome.budget };
      }
    }
    return reservePoints(this.budget, points, now) as ReserveOutcome;
  }

  async observe(_account: string, _snapshot: LimitsSnapshot): Promise<void> {}
}

const known = (remaining: number): PointsBudget => ({
  minute_limit: 1_000,
  minute_remaining: remaining,
  minute_reset_at: RESET,
  day_limit: 100_000,
  day_remaining: 100_000,
  day_reset_at: 86_400_000,
});

const at = (ms: number) => new Date(ms);

describe('Points in hand', () => {
  it('takes nothing ahead for a dispatcher that places a call now and then', async () => {
    const budget = new BudgetInMemory(known(1_000));
    const hand = new PointsInHand(budget);

    for (let i = 0; i < 5; i += 1) await hand.reserve('acme', 1, at(i * (RECENT_MS + 1)));

    expect(budget.requests).toBe(5);
    expect(budget.budget.minute_remaining).toBe(995);
  });

  it('under a steady flow, spends points taken ahead, one request for many calls', async () => {
    const budget = new BudgetInMemory(known(1_000));
    const hand = new PointsInHand(budget);

    for (let i = 0; i < 100; i += 1) {
      expect(await hand.reserve('acme', 1, at(i * 10))).toMatchObject({ granted: true });
    }

    expect(budget.requests).toBeLessThan(20);
    // Every call's point came out of the shared budget, and at most a hand's worth more.
    const taken = 1_000 - (budget.budget.minute_remaining ?? 0);
    expect(taken).toBeGreaterThanOrEqual(100);
    expect(taken).toBeLessThanOrEqual(100 + MAX_CALLS_IN_HAND);
  });

  it('lets the messages of a batch share one request', async () => {
    const budget = new BudgetInMemory(known(1_000));
    const hand = new PointsInHand(budget);

    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => hand.reserve('acme', 2, at(0))),
    );

    expect(outcomes.every((outcome) => outcome.granted)).toBe(true);
    expect(budget.requests).toBe(1);
    expect(budget.budget.minute_remaining).toBe(980);
  });

  it('spends no point held past its window’s reset', async () => {
    const budget = new BudgetInMemory(known(1_000));
    const hand = new PointsInHand(budget);
    for (let i = 0; i < 20; i += 1) await hand.reserve('acme', 1, at(RESET - 2_000 + i));
    const requests = budget.requests;

    // The window has reset (the budget rolls it): the hand's points belong to the old one.
    await hand.reserve('acme', 1, at(RESET + 1));

    expect(budget.requests).toBe(requests + 1);
  });

  it('never grants more than the windows hold, however the calls come', async () => {
    const budget = new BudgetInMemory(known(30));
    const hand = new PointsInHand(budget);

    const outcomes = await Promise.all(
      Array.from({ length: 60 }, (_, i) => hand.reserve('acme', 1, at(i))),
    );

    expect(outcomes.filter((outcome) => outcome.granted)).toHaveLength(30);
  });

  it('takes none ahead in a window the budget only estimated', async () => {
    const budget = new BudgetInMemory({ ...known(1_000), minute_estimated: true });
    const hand = new PointsInHand(budget);

    for (let i = 0; i < 10; i += 1) await hand.reserve('acme', 1, at(i));

    expect(budget.requests).toBe(10);
  });

  it('wastes none of a batch’s points in a window the budget only estimated', async () => {
    const budget = new BudgetInMemory({ ...known(1_000), minute_estimated: true });
    const hand = new PointsInHand(budget);

    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => hand.reserve('acme', 1, at(0))),
    );

    expect(outcomes.every((outcome) => outcome.granted)).toBe(true);
    expect(budget.requests).toBe(1);
    expect(budget.budget.minute_remaining).toBe(990);
  });

  it('keeps every point it took, however many takes were made at once', async () => {
    const budget = new BudgetInMemory(known(1_000));
    const hand = new PointsInHand(budget);
    let granted = 0;
    const reserve = async (ms: number) => {
      if ((await hand.reserve('acme', 1, at(ms))).granted) granted += 1;
    };
    for (let i = 0; i < 50; i += 1) await reserve(i * 10);
    // Batches arriving together, while takes of their own are on their way.
    await Promise.all(Array.from({ length: 60 }, (_, i) => reserve(500 + (i % 3))));

    const held = 1_000 - (budget.budget.minute_remaining ?? 0) - granted;
    const requests = budget.requests;
    for (let i = 0; i < held; i += 1) await reserve(600);

    // Every point taken and not yet spent served a call without a request.
    expect(budget.requests).toBe(requests);
    expect(1_000 - (budget.budget.minute_remaining ?? 0)).toBe(granted);
  });

  it('holds no more than the provider says is left', async () => {
    const budget = new BudgetInMemory(known(1_000));
    const hand = new PointsInHand(budget);
    for (let i = 0; i < 40; i += 1) await hand.reserve('acme', 1, at(i));
    const requests = budget.requests;

    await hand.observe('acme', {
      minuteRemaining: 0,
      minuteResetAt: at(RESET),
      observedAt: at(40),
    });
    await hand.reserve('acme', 1, at(50));

    expect(budget.requests).toBe(requests + 1);
  });
});

describe('The record that refused a conditional write', () => {
  it('is read from the error DynamoDB returns, in plain values', () => {
    const error = new ConditionalCheckFailedException({ message: 'refused', $metadata: {} });
    Object.assign(error, { Item: marshall({ call_id: 'c_1', version: 3, history: [] }) });

    expect(storedItemOf(error)).toEqual({ call_id: 'c_1', version: 3, history: [] });
  });

  it('is unknown when the engine returned none', () => {
    expect(
      storedItemOf(new ConditionalCheckFailedException({ message: 'refused', $metadata: {} })),
    ).toBeUndefined();
  });
});
