import type { CallRecord } from '../calls/call-record.ts';
import type { SweepTiming } from './sweep-timing.ts';

export const OUTCOME_AFTER_MS = 2 * 60_000;
export const OUTCOME_WINDOW_MS = 6 * 3_600_000;
/** The longest gap between two looks at a report that does not show the call yet. */
export const MAX_OUTCOME_GAP_MS = 30 * 60_000;

export const outcomeAfterMs = (timing?: Pick<SweepTiming, 'outcomeAfterMs'>): number =>
  timing?.outcomeAfterMs ?? OUTCOME_AFTER_MS;

/**
 * When the current attempt started: its last claim (`dialing`), which is when the provider was
 * asked for the session. The report's times are the provider's; this one is ours. It bounds the
 * window a report is looked up in, by the attempt's own session or external id: were it cut from
 * the history, the window would start at the call's creation, wider and still right.
 */
export const attemptStartedAt = (record: Pick<CallRecord, 'history' | 'created_at'>): Date =>
  new Date(record.history.findLast((entry) => entry.status === 'dialing')?.at ?? record.created_at);

/** How many looks in a row that learned nothing double the wait before the next, at most. */
const MAX_BACKOFF_DOUBLINGS = 10;

/**
 * When to look again after a look that learned nothing (an unreadable reply, a 5xx, a refusal):
 * at the reset the provider named, if any (`parseLimits` keeps only resets within a sane
 * range), else after `base` doubled for each failed look in a row, never longer than `cap`; never after `until` (the window in which a look can still tell
 * anything), and undefined once that has passed.
 */
export const nextLookAfterFailure = (options: {
  now: Date;
  failedLooks: number;
  baseMs: number;
  capMs: number;
  resetAt?: Date;
  until?: Date;
}): Date | undefined => {
  const { now, until } = options;
  if (until !== undefined && now.getTime() >= until.getTime()) return undefined;
  const doublings = Math.min(Math.max(options.failedLooks, 0), MAX_BACKOFF_DOUBLINGS);
  const backoff = Math.min(options.baseMs * 2 ** doublings, options.capMs);
  const reset = options.resetAt?.getTime();
  // The provider's reset is when a look can learn something, even one already past (the next
  // sweep, then): its own clock decides its window.
  const at = reset !== undefined && Number.isFinite(reset) ? reset : now.getTime() + backoff;
  return new Date(until === undefined ? at : Math.min(at, until.getTime()));
};

/** The end of the window in which an attempt's report is looked for. */
export const outcomeWindowEnd = (startedAt: Date, timing: SweepTiming): Date =>
  new Date(startedAt.getTime() + (timing.outcomeWindowMs ?? OUTCOME_WINDOW_MS));

/**
 * When to look at the report again for an attempt it does not show yet (a call still going, or
 * a report a little behind): after half the time the attempt has lasted, between
 * `outcomeAfterMs` and half an hour, so a short call is read soon and a long one costs a few
 * points; one last look at the window's end, none after it.
 */
export const nextOutcomeLookAt = (
  startedAt: Date,
  now: Date,
  timing: SweepTiming,
): Date | undefined => {
  const windowEnd = startedAt.getTime() + (timing.outcomeWindowMs ?? OUTCOME_WINDOW_MS);
  if (now.getTime() >= windowEnd) return undefined;
  const after = outcomeAfterMs(timing);
  const gap = Math.min(
    Math.max((now.getTime() - startedAt.getTime()) / 2, after),
    Math.max(MAX_OUTCOME_GAP_MS, after),
  );
  return new Date(Math.min(now.getTime() + gap, windowEnd));
};
