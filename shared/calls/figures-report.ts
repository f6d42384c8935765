import type { CallhookConfig } from '../config/schema.ts';
import type { FiguresReport } from '../contract/admin-schemas.ts';
import { figuresOf, parseFiguresRequest } from './call-figures.ts';
import { MAX_LIST_LIMIT } from './call-list.ts';
import type { CallRecord } from './call-record.ts';
import type { CallStore, ListPosition } from './call-store.ts';
import { reachOf } from './reach-figures.ts';

/**
 * The most calls one answer reads (one index query and one read per call): past it the figures
 * cover the newest calls of the window only, and say so.
 */
export const FIGURES_RECORD_CAP = 5_000;

export interface FiguresDeps {
  store: CallStore;
  config: CallhookConfig;
  now: () => Date;
}

export type { FiguresReport };

/** The name the total's row goes by: no route can have it (route names are lowercase words). */
export const ALL_ROUTES = 'All routes';

/** `GET /figures`: each route's calls created in the last `hours`, read newest first. */
export const figuresReport = async (
  deps: FiguresDeps,
  parameters: Readonly<Record<string, string | undefined>>,
  cap = FIGURES_RECORD_CAP,
): Promise<FiguresReport> => {
  const { hours } = parseFiguresRequest(parameters);
  const now = deps.now();
  const since = new Date(now.getTime() - hours * 3_600_000).toISOString();
  const until = now.toISOString();
  const records: CallRecord[] = [];
  let after: ListPosition | undefined;
  let complete = false;
  while (records.length < cap) {
    const page = await deps.store.list({
      since,
      until,
      limit: Math.min(MAX_LIST_LIMIT, cap - records.length),
      ...(after !== undefined && { after }),
    });
    records.push(...page.records);
    after = page.next;
    if (after === undefined) {
      complete = true;
      break;
    }
  }
  const targets = Object.fromEntries(
    Object.entries(deps.config.routes).flatMap(([name, route]) =>
      route.target === undefined ? [] : [[name, route.target]],
    ),
  );
  const window = { since, until };
  const routes = figuresOf(records, Object.keys(deps.config.routes), targets).map((figures) => ({
    ...figures,
    reach: reachOf(
      records.filter((record) => record.route === figures.route),
      window,
    ),
  }));
  const [all] = figuresOf(
    records.map((record) => ({ ...record, route: ALL_ROUTES })),
    [ALL_ROUTES],
  );
  return {
    since,
    until,
    complete,
    routes,
    total: { ...(all as (typeof routes)[number]), reach: reachOf(records, window) },
  };
};
