import * as z from '../validation/zod.ts';

/*
 * The ranges of `metadata.limits` (the Call API's and the Data API's, which share the shape).
 * The overviews document points per minute and per day, and resets as seconds until the window
 * starts again. A field out of its range is dropped, as if the reply had not sent it, so the
 * callers fall back to what they do without it (their own estimate, or a minute's wait), and a
 * snapshot never holds NaN, a negative count or an invalid date.
 */

/**
 * The most points a window may hold or have left: 10^9. Plans grant thousands a minute and
 * hundreds of thousands a day; a billion is beyond any, and keeps every sum exact.
 */
export const MAX_POINTS = 1_000_000_000;

/**
 * The longest wait for a minute's reset: 5 minutes. The minute window starts again within 60 s;
 * the rest is room for a provider whose clock or window is a little off, while anything longer
 * is no minute's reset and would hold calls back for nothing.
 */
export const MAX_MINUTE_RESET_S = 5 * 60;

/**
 * The longest wait for a day's reset: 2 days. The day window starts again within 24 hours, at a
 * midnight that may be the account's own (time zones reach 14 hours from UTC); two days covers
 * both, and anything longer would schedule calls days late.
 */
export const MAX_DAY_RESET_S = 2 * 86_400;

const Points = z.int().check(z.minimum(0), z.maximum(MAX_POINTS));
const resetWithin = (maxSeconds: number) => z.number().check(z.minimum(0), z.maximum(maxSeconds));

const FIELDS = {
  day_limit: Points,
  day_remaining: Points,
  day_reset: resetWithin(MAX_DAY_RESET_S),
  minute_limit: Points,
  minute_remaining: Points,
  minute_reset: resetWithin(MAX_MINUTE_RESET_S),
} as const;

type Field = keyof typeof FIELDS;

/** `metadata.limits` as an object whose fields are read one by one. */
const Metadata = z.object({ limits: z.record(z.string(), z.unknown()) });

/** The provider's points budget as seen in one reply, with resets turned into absolute times. */
export interface LimitsSnapshot {
  observedAt: Date;
  minuteLimit?: number;
  minuteRemaining?: number;
  minuteResetAt?: Date;
  dayLimit?: number;
  dayRemaining?: number;
  dayResetAt?: Date;
}

const after = (now: Date, seconds: number | undefined): Date | undefined => {
  if (seconds === undefined) return undefined;
  const at = now.getTime() + seconds * 1000;
  return Number.isFinite(at) ? new Date(at) : undefined;
};

/**
 * Reads `metadata.limits` from a reply: absent or not an object gives `undefined`; each field
 * out of its range (see above) is left out of the snapshot.
 */
export const parseLimits = (metadata: unknown, now: Date): LimitsSnapshot | undefined => {
  const parsed = Metadata.safeParse(metadata);
  if (!parsed.success) return undefined;
  const raw = parsed.data.limits;
  const read = (field: Field): number | undefined => {
    const value = FIELDS[field].safeParse(raw[field]);
    return value.success ? value.data : undefined;
  };
  const snapshot: LimitsSnapshot = { observedAt: now };
  const set = <K extends keyof LimitsSnapshot>(key: K, value: LimitsSnapshot[K] | undefined) => {
    if (value !== undefined) snapshot[key] = value;
  };
  set('minuteLimit', read('minute_limit'));
  set('minuteRemaining', read('minute_remaining'));
  set('minuteResetAt', after(now, read('minute_reset')));
  set('dayLimit', read('day_limit'));
  set('dayRemaining', read('day_remaining'));
  set('dayResetAt', after(now, read('day_reset')));
  return snapshot;
};
