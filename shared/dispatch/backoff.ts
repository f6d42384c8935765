export interface BackoffSettings {
  /** The first retry's ceiling. */
  baseMs: number;
  /** No retry waits longer than this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = { baseMs: 2_000, maxMs: 300_000 };

/**
 * "Full jitter": a uniform wait between 0 and base·2^(attempt−1), capped, so retries of many
 * calls that failed together (a provider outage) spread out instead of returning as one wave.
 */
export const retryDelayMs = (
  attempt: number,
  settings: BackoffSettings,
  random: () => number = Math.random,
): number => {
  const ceiling = Math.min(settings.maxMs, settings.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
};
