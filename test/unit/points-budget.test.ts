import { describe, expect, it } from 'vitest';
import type { LimitsSnapshot } from '../../shared/pacing/limits.ts';
import { observeLimits, reservePoints } from '../../shared/pacing/points-budget.ts';

const T0 = new Date('2026-11-24T10:00:00.000Z');
const plus = (ms: number) => new Date(T0.getTime() + ms);

const reply = (at: Date, over: Partial<LimitsSnapshot> = {}): LimitsSnapshot => ({
  observedAt: at,
  minuteLimit: 10,
  minuteRemaining: 10,
  minuteResetAt: new Date(at.getTime() + 30_000),
  dayLimit: 1000,
  dayRemaining: 1000,
  dayResetAt: new Date(at.getTime() + 3_600_000),
  ...over,
});

describe('Points budget', () => {
  it('grants an account it knows nothing about yet', () => {
    expect(reservePoints({}, 1, T0)).toMatchObject({ granted: true });
  });

  it('grants until the minute is spent, then defers to the minute reset', () => {
    let budget = observeLimits({}, reply(T0, { minuteRemaining: 2 }));
    const granted: boolean[] = [];
    for (let i = 0; i < 3; i += 1) {
      const outcome = reservePoints(budget, 1, plus(1_000));
      granted.push(outcome.granted);
      if (outcome.granted) budget = outcome.budget;
      else expect(outcome).toEqual({ granted: false, window: 'minute', until: plus(30_000) });
    }
    expect(granted).toEqual([true, true, false]);
  });

  it('starts a fresh minute with the full limit once the reset has passed', () => {
    const spent = observeLimits({}, reply(T0, { minuteRemaining: 0 }));

    const outcome = reservePoints(spent, 1, plus(31_000));

    expect(outcome).toMatchObject({
      granted: true,
      budget: { minute_remaining: 9, minute_reset_at: plus(90_000).getTime() },
    });
  });

  it('defers to the day reset when the day is spent, whatever the minute says', () => {
    const budget = observeLimits({}, reply(T0, { dayRemaining: 0 }));

    expect(reservePoints(budget, 1, plus(1_000))).toEqual({
      granted: false,
      window: 'day',
      until: plus(3_600_000),
    });
  });

  it('keeps the lower count within one window: reservations in flight are not yet charged', () => {
    let budget = observeLimits({}, reply(T0, { minuteRemaining: 10 }));
    for (let i = 0; i < 4; i += 1) {
      const outcome = reservePoints(budget, 1, T0);
      if (outcome.granted) budget = outcome.budget;
    }
    // The provider has charged only the first of the four so far; its reset drifted by 0.4 s.
    const late = reply(plus(600), { minuteRemaining: 9, minuteResetAt: plus(30_400) });

    expect(observeLimits(budget, late)).toMatchObject({ minute_remaining: 6 });
  });

  it('takes a newer window as reported and ignores a reply about a window already left', () => {
    const old = observeLimits({}, reply(T0, { minuteRemaining: 1 }));
    const next = reply(plus(31_000), { minuteRemaining: 8 });

    const renewed = observeLimits(old, next);
    const stale = observeLimits(renewed, reply(T0, { minuteRemaining: 0 }));

    expect(renewed).toMatchObject({ minute_remaining: 8 });
    expect(stale).toEqual(renewed);
  });

  it("lets the provider's reply correct a window we rolled forward by guess", () => {
    const spent = observeLimits({}, reply(T0, { minuteRemaining: 0 }));
    const rolled = reservePoints(spent, 1, plus(45_000));
    if (!rolled.granted) throw new Error('a fresh window should grant');
    // The provider started its new minute at the first request, 15 s after our guess.
    const truth = reply(plus(45_500), { minuteRemaining: 9, minuteResetAt: plus(105_000) });

    expect(observeLimits(rolled.budget, truth)).toMatchObject({
      minute_remaining: 9,
      minute_reset_at: plus(105_000).getTime(),
    });
    expect(observeLimits(rolled.budget, truth)).not.toHaveProperty('minute_estimated');
  });
});
