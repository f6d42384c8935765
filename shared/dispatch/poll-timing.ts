import type { CallRecord } from '../calls/call-record.ts';
import { type CallingHours, nextOpening } from '../routes/calling-hours.ts';
import type { SweepTiming } from './sweep-timing.ts';

/** The longest wait between two looks at a job still pending within its calling window. */
export const MAX_POLL_INTERVAL_MS = 5 * 60_000;

type Placed = Pick<CallRecord, 'history' | 'updated_at'>;

/** When the call was handed to the backend: its last `placed` history entry. */
const placedAt = (record: Placed): Date => {
  const entry = record.history.findLast((item) => item.status === 'placed');
  return new Date(entry?.at ?? record.updated_at);
};

/**
 * When to ask a backend that reports (JAICP) again about a call it still has pending. Asking
 * every `pollAfterMs` regardless cost a report request and a write (its index entry moved) at
 * every sweep: about 660 of each for an evening's order whose call waits for nine the next
 * morning, with the sweeper running each minute.
 * So a job that is dialling now is asked again after `pollAfterMs`; one that waits is asked
 * when the route's calling window next opens, or, within the window, after a quarter of the time
 * it has already waited, between `pollAfterMs` and five minutes.
 */
export const nextPollAt = (
  record: Placed,
  callingHours: CallingHours | undefined,
  dialling: boolean,
  now: Date,
  timing: Pick<SweepTiming, 'pollAfterMs'>,
): Date => {
  if (dialling) return new Date(now.getTime() + timing.pollAfterMs);
  const opening = callingHours === undefined ? undefined : nextOpening(callingHours, now);
  if (opening !== undefined) return opening;
  const waited = now.getTime() - placedAt(record).getTime();
  const interval = Math.min(
    Math.max(waited / 4, timing.pollAfterMs),
    Math.max(MAX_POLL_INTERVAL_MS, timing.pollAfterMs),
  );
  return new Date(now.getTime() + interval);
};
