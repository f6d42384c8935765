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
 * asked for the session. The report's times are the provider's; this one is ours.
 */
export const attemptStartedAt = (record: Pick<CallRecord, 'history' | 'created_at'>): Date =>
  new Date(record.history.findLast((entry) => entry.status === 'dialing')?.at ?? record.created_at);

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
