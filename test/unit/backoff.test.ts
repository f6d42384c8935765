import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../shared/dispatch/backoff.ts';

const settings = { baseMs: 1_000, maxMs: 10_000 };

describe('Retry backoff', () => {
  it('doubles the ceiling with each attempt up to the maximum', () => {
    const ceilings = [1, 2, 3, 4, 5, 6].map((attempt) => retryDelayMs(attempt, settings, () => 1));
    expect(ceilings).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });

  it('draws the wait uniformly below the ceiling (full jitter)', () => {
    expect(retryDelayMs(3, settings, () => 0)).toBe(0);
    expect(retryDelayMs(3, settings, () => 0.5)).toBe(2_000);
  });
});
