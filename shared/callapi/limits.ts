import * as z from '../validation/zod.ts';

const Limits = z.object({
  day_limit: z.optional(z.number()),
  day_remaining: z.optional(z.number()),
  day_reset: z.optional(z.number()),
  minute_limit: z.optional(z.number()),
  minute_remaining: z.optional(z.number()),
  minute_reset: z.optional(z.number()),
});

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

const after = (now: Date, seconds: number | undefined): Date | undefined =>
  seconds === undefined ? undefined : new Date(now.getTime() + seconds * 1000);

/** Reads `metadata.limits` from a reply; absent or malformed limits give `undefined`. */
export const parseLimits = (metadata: unknown, now: Date): LimitsSnapshot | undefined => {
  const limits = z.object({ limits: Limits }).safeParse(metadata);
  if (!limits.success) return undefined;
  const l = limits.data.limits;
  const snapshot: LimitsSnapshot = { observedAt: now };
  const set = <K extends keyof LimitsSnapshot>(key: K, value: LimitsSnapshot[K] | undefined) => {
    if (value !== undefined) snapshot[key] = value;
  };
  set('minuteLimit', l.minute_limit);
  set('minuteRemaining', l.minute_remaining);
  set('minuteResetAt', after(now, l.minute_reset));
  set('dayLimit', l.day_limit);
  set('dayRemaining', l.day_remaining);
  set('dayResetAt', after(now, l.day_reset));
  return snapshot;
};
