import type { RouteFigures } from '../contract/admin-schemas.ts';
import { ProblemError, quoteInput } from '../http/problem-error.ts';
import type { CallRecord } from './call-record.ts';
import { type LeadTarget, leadTimeOf } from './speed-to-lead.ts';

export const DEFAULT_FIGURES_HOURS = 24;
/** A week: the figures read every call of the window, so the window stays short. */
export const MAX_FIGURES_HOURS = 168;

const PARAMETERS = ['hours'];

/** Median and 95th percentile, in milliseconds. */
export interface Percentiles {
  p50: number;
  p95: number;
}

/** One route's calls created in the window, by what became of them (its schema's type). */
export type { RouteFigures };

/** `GET /figures`'s query: the window's length in hours; a bad value is a 400. */
export const parseFiguresRequest = (
  parameters: Readonly<Record<string, string | undefined>>,
): { hours: number } => {
  for (const name of Object.keys(parameters)) {
    if (!PARAMETERS.includes(name))
      throw new ProblemError(
        'invalid_filter',
        `Unknown parameter ${quoteInput(name)}; GET /figures takes ${PARAMETERS.join(', ')}.`,
        { parameter: name },
      );
  }
  const { hours } = parameters;
  if (hours === undefined) return { hours: DEFAULT_FIGURES_HOURS };
  const value = /^\d{1,3}$/.test(hours) ? Number(hours) : 0;
  if (value < 1 || value > MAX_FIGURES_HOURS)
    throw new ProblemError(
      'invalid_filter',
      `hours must be a whole number from 1 to ${MAX_FIGURES_HOURS}.`,
      { parameter: 'hours' },
    );
  return { hours: value };
};

/** The nearest-rank percentile of ascending `sorted` (not empty): a value it holds. */
export const nearestRank = (sorted: readonly number[], percent: number): number => {
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
};

/**
 * When the call was first placed. The history keeps its last 20 changes, so a call retried
 * often may have lost that entry; its status still says it was placed, with no time.
 */
const placedAt = (record: CallRecord): { placed: boolean; at?: string } => {
  const entry = record.history.find((item) => item.status === 'placed');
  if (entry !== undefined) return { placed: true, at: entry.at };
  return { placed: record.status === 'placed' || record.status === 'completed' };
};

const emptyFigures = (route: string) => ({
  route,
  accepted: 0,
  placed: 0,
  completed: 0,
  failed: 0,
  unknown: 0,
  skipped: 0,
  delays: [] as number[],
  talked: 0,
  met: 0,
});

/**
 * The figures of each route, over `records` (the calls created in a window): the configured
 * `routes` first, in their order, even without a call; then any other route a record names (one
 * since removed from the config), by name.
 */
export const figuresOf = (
  records: readonly CallRecord[],
  routes: readonly string[],
  targets: Readonly<Record<string, LeadTarget>> = {},
): Omit<RouteFigures, 'reach'>[] => {
  const byRoute = new Map(routes.map((route) => [route, emptyFigures(route)]));
  const others = [...new Set(records.map((record) => record.route))]
    .filter((route) => !byRoute.has(route))
    .sort();
  for (const route of others) byRoute.set(route, emptyFigures(route));
  for (const record of records) {
    const figures = byRoute.get(record.route) ?? emptyFigures(record.route);
    if (record.status === 'skipped') {
      figures.skipped += 1;
      continue;
    }
    figures.accepted += 1;
    const target = targets[record.route];
    const lead = target === undefined ? undefined : leadTimeOf(record, target);
    if (lead !== undefined) {
      figures.talked += 1;
      if (lead.met) figures.met += 1;
    }
    if (record.status === 'completed') figures.completed += 1;
    if (record.status === 'failed') figures.failed += 1;
    if (record.status === 'unknown') figures.unknown += 1;
    const placed = placedAt(record);
    if (!placed.placed) continue;
    figures.placed += 1;
    if (placed.at !== undefined)
      figures.delays.push(Date.parse(placed.at) - Date.parse(record.created_at));
  }
  return [...byRoute.values()].map(({ delays, talked, met, ...counts }) => {
    const sorted = delays.sort((a, b) => a - b);
    const target = targets[counts.route];
    return {
      ...counts,
      speed_to_lead:
        target === undefined
          ? null
          : {
              target_minutes: target.talk_within_minutes,
              talked,
              met,
              share: talked === 0 ? null : met / talked,
            },
      accepted_to_placed_ms:
        sorted.length === 0 ? null : { p50: nearestRank(sorted, 50), p95: nearestRank(sorted, 95) },
    };
  });
};
