import { describe, expect, it } from 'vitest';
import {
  MAX_DAY_RESET_S,
  MAX_MINUTE_RESET_S,
  MAX_POINTS,
  parseLimits,
} from '../../shared/pacing/limits.ts';

const NOW = new Date('2026-11-24T10:00:00.000Z');
const plus = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

/** `metadata` as a reply's JSON text would give it, so `1e400` is what the parser makes of it. */
const metadata = (limits: string) => JSON.parse(`{"limits": ${limits}}`) as unknown;

const SANE = {
  day_limit: 100_000,
  day_remaining: 99_000,
  day_reset: 3_600,
  minute_limit: 600,
  minute_remaining: 599,
  minute_reset: 42,
};

describe('Function: parseLimits', () => {
  describe('Method: reading a documented reply', () => {
    it('turns counts into numbers and resets into times after the reply', () => {
      // Act
      const snapshot = parseLimits({ limits: SANE }, NOW);

      // Assess
      expect(snapshot).toEqual({
        observedAt: NOW,
        dayLimit: 100_000,
        dayRemaining: 99_000,
        dayResetAt: plus(3_600),
        minuteLimit: 600,
        minuteRemaining: 599,
        minuteResetAt: plus(42),
      });
    });

    it.each([undefined, null, {}, { limits: null }, { limits: 'x' }, { limits: 5 }])(
      'has no snapshot without a limits object (%j)',
      (given) => {
        expect(parseLimits(given, NOW)).toBeUndefined();
      },
    );

    it('keeps the fields in range when others are not', () => {
      const snapshot = parseLimits({ limits: { ...SANE, minute_reset: 1e20, day_limit: -1 } }, NOW);

      expect(snapshot).toEqual({
        observedAt: NOW,
        dayRemaining: 99_000,
        dayResetAt: plus(3_600),
        minuteLimit: 600,
        minuteRemaining: 599,
      });
    });
  });

  describe.each(['day_limit', 'day_remaining', 'minute_limit', 'minute_remaining'] as const)(
    'Method: the count %s',
    (field) => {
      const key = {
        day_limit: 'dayLimit',
        day_remaining: 'dayRemaining',
        minute_limit: 'minuteLimit',
        minute_remaining: 'minuteRemaining',
      }[field];

      it.each([0, 1, MAX_POINTS])('keeps %d', (value) => {
        expect(parseLimits({ limits: { [field]: value } }, NOW)).toEqual({
          observedAt: NOW,
          [key]: value,
        });
      });

      it.each([
        ['just past the bound', `${MAX_POINTS + 1}`],
        ['negative', '-1'],
        ['fractional', '1.5'],
        ['1e300', '1e300'],
        ['past the float range', '1e400'],
        ['beyond 2^53', '9007199254740993'],
        ['quoted', '"10"'],
        ['null', 'null'],
      ])('drops it when %s', (_, text) => {
        const snapshot = parseLimits(metadata(`{"${field}": ${text}}`), NOW);

        expect(snapshot).toEqual({ observedAt: NOW });
      });
    },
  );

  describe.each([
    ['minute_reset', 'minuteResetAt', MAX_MINUTE_RESET_S],
    ['day_reset', 'dayResetAt', MAX_DAY_RESET_S],
  ] as const)('Method: the reset %s', (field, key, bound) => {
    it.each([0, 0.5, 1, bound])('keeps %d seconds as a time', (seconds) => {
      expect(parseLimits({ limits: { [field]: seconds } }, NOW)).toEqual({
        observedAt: NOW,
        [key]: plus(seconds),
      });
    });

    it.each([
      ['just past the bound', `${bound + 1}`],
      ['negative', '-1'],
      ['1e20', '1e20'],
      ['1e300', '1e300'],
      ['past the float range', '1e400'],
      ['negative past the float range', '-1e400'],
      ['quoted', '"60"'],
    ])('drops it when %s, and the snapshot holds no invalid date', (_, text) => {
      const snapshot = parseLimits(metadata(`{"${field}": ${text}}`), NOW);

      expect(snapshot).toEqual({ observedAt: NOW });
    });
  });

  it('never yields NaN or an invalid date, whatever the numbers', () => {
    // ±Infinity is what a parser makes of ±1e400.
    const hostile = [-Infinity, -1e300, -1, -0, 1e-300, 0.1, 1e9, 2 ** 53, 1e300, Infinity];
    for (const value of hostile) {
      const limits = Object.fromEntries(Object.keys(SANE).map((field) => [field, value]));
      const snapshot = parseLimits({ limits }, NOW);

      for (const entry of Object.values(snapshot ?? {})) {
        const number = entry instanceof Date ? entry.getTime() : entry;
        expect(Number.isFinite(number)).toBe(true);
      }
    }
  });
});
