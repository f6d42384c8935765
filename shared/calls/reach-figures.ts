import { allDials } from './attempts.ts';
import type { CallRecord } from './call-record.ts';
import { CALL_RESULTS, type CallResult } from './call-result.ts';
import { resultOfDial } from './dial-result.ts';

/** Slices of the window a route's trend is counted in. */
export const TREND_SLICES = 24;

/** How one route's calls of the window reached their customers, and how soon they rang. */
export interface ReachFigures {
  /** Calls one of whose attempts talked to the customer. */
  talked: number;
  /** `talked` ÷ the calls placed; `null` when none was placed. */
  connection_rate: number | null;
  /** How each placed call's last attempt ended (the report's result, else the notification's). */
  results: Record<CallResult, number>;
  /** Redial attempts made, and the calls that talked on one. */
  redials: number;
  redials_talked: number;
  /** Operators' "call again" attempts, and the calls that talked on one. */
  called_again: number;
  called_again_talked: number;
  /** Skipped events by their reason (`invalid_phone`, `test_event`, …). */
  skipped_by_reason: Record<string, number>;
  /** From the sender's own event time (else acceptance) to the first placement: p50, p95. */
  event_to_placed_ms: { p50: number; p95: number } | null;
  /** The window in equal slices, oldest first: calls placed and calls that talked in each. */
  trend: { from: string; placed: number; talked: number }[];
}

const resultOf = resultOfDial;

const nearestRank = (sorted: readonly number[], percent: number): number => {
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
};

const placedAtOf = (record: CallRecord): string | undefined =>
  record.history.find((entry) => entry.status === 'placed')?.at;

const emptyResults = (): Record<CallResult, number> =>
  Object.fromEntries(CALL_RESULTS.map((result) => [result, 0])) as Record<CallResult, number>;

/**
 * The reach of `records` (one route's calls created in the window `since`…`until`, or every
 * route's): what the figures add to "what became of the calls" to answer "did we reach the
 * customers".
 */
export const reachOf = (
  records: readonly CallRecord[],
  window: { since: string; until: string },
): ReachFigures => {
  const from = Date.parse(window.since);
  const slice = Math.max(1, (Date.parse(window.until) - from) / TREND_SLICES);
  const trend = Array.from({ length: TREND_SLICES }, (_, i) => ({
    from: new Date(from + i * slice).toISOString(),
    placed: 0,
    talked: 0,
  }));
  const sliceOf = (at: string) =>
    trend[Math.min(TREND_SLICES - 1, Math.max(0, Math.floor((Date.parse(at) - from) / slice)))];
  const figures: ReachFigures = {
    talked: 0,
    connection_rate: null,
    results: emptyResults(),
    redials: 0,
    redials_talked: 0,
    called_again: 0,
    called_again_talked: 0,
    skipped_by_reason: {},
    event_to_placed_ms: null,
    trend,
  };
  const delays: number[] = [];
  let placed = 0;
  for (const record of records) {
    if (record.status === 'skipped') {
      const reason = record.error?.reason ?? 'unknown';
      figures.skipped_by_reason[reason] = (figures.skipped_by_reason[reason] ?? 0) + 1;
      continue;
    }
    const dials = allDials(record);
    const placedAt = placedAtOf(record);
    const wasPlaced =
      placedAt !== undefined || record.status === 'placed' || record.status === 'completed';
    if (!wasPlaced) continue;
    placed += 1;
    const bucket = sliceOf(record.created_at);
    if (bucket !== undefined) bucket.placed += 1;
    if (placedAt !== undefined)
      delays.push(
        Math.max(0, Date.parse(placedAt) - Date.parse(record.sender_event_at ?? record.created_at)),
      );
    // The current attempt's own fields say it was answered even where its entry does not.
    const answered = record.outcome?.answered === true;
    const talked = answered || dials.some((dial) => resultOf(dial) === 'talked');
    if (talked) {
      figures.talked += 1;
      if (bucket !== undefined) bucket.talked += 1;
    }
    const last = dials.at(-1);
    const result =
      (last === undefined ? undefined : resultOf(last)) ?? (answered ? 'talked' : undefined);
    if (result !== undefined) figures.results[result] += 1;
    for (const dial of dials) {
      if (dial.cause === 'redial') figures.redials += 1;
      if (dial.cause === 'again') figures.called_again += 1;
    }
    if (dials.some((dial) => dial.cause === 'redial' && resultOf(dial) === 'talked'))
      figures.redials_talked += 1;
    if (dials.some((dial) => dial.cause === 'again' && resultOf(dial) === 'talked'))
      figures.called_again_talked += 1;
  }
  figures.connection_rate = placed === 0 ? null : figures.talked / placed;
  const sorted = delays.sort((a, b) => a - b);
  figures.event_to_placed_ms =
    sorted.length === 0 ? null : { p50: nearestRank(sorted, 50), p95: nearestRank(sorted, 95) };
  return figures;
};
