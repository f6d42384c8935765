/** One request a sliding window counts: its id and when it came (epoch ms). */
export interface RateEntry {
  id: string;
  at: number;
}

/** A limit: at most `max` requests in any `windowMs`. */
export interface RateLimit {
  max: number;
  windowMs: number;
}

export type RateDecision =
  | { admitted: true; entries: RateEntry[] }
  /** `retryAfterMs`: until the oldest counted request leaves the window. */
  | { admitted: false; retryAfterMs: number };

/**
 * Decides whether one more request fits in a sliding window: the entries younger than the
 * window, plus this one, at most `max`. An id already counted is admitted again without counting
 * twice (a reload of the same form for the same number). A refused request is not counted, so
 * the window empties on time whatever a client keeps sending.
 */
export const admitToWindow = (
  entries: readonly RateEntry[],
  id: string,
  now: Date,
  limit: RateLimit,
): RateDecision => {
  const since = now.getTime() - limit.windowMs;
  const recent = entries.filter((entry) => entry.at > since).sort((a, b) => a.at - b.at);
  if (recent.some((entry) => entry.id === id)) return { admitted: true, entries: recent };
  if (recent.length >= limit.max) {
    // The entry that must leave for one more to fit: with `max` in the window, the oldest.
    const leaving = recent[recent.length - limit.max] ?? recent[0];
    return {
      admitted: false,
      retryAfterMs: Math.max(1, (leaving?.at ?? now.getTime()) + limit.windowMs - now.getTime()),
    };
  }
  return { admitted: true, entries: [...recent, { id, at: now.getTime() }] };
};

/**
 * Port: sliding windows of requests, per subject (a client address, a phone number), kept with
 * an expiry (DynamoDB on AWS and locally). Subjects are personal data: the store keeps them
 * hashed with the deployment's key.
 */
export interface RateWindowStore {
  /** Counts request `id` against `subject`'s window in `scope`, unless that would pass `limit`. */
  admit(
    scope: string,
    subject: string,
    id: string,
    now: Date,
    limit: RateLimit,
  ): Promise<{ admitted: true } | { admitted: false; retryAfterMs: number }>;
}
