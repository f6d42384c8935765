import { problemText } from './api.ts';
import type { Figures, RouteFigures } from './api-types.ts';
import type { Context } from './context.ts';
import { append, h, timeElement, viewLink } from './dom.ts';
import { formatDuration, plural } from './format.ts';
import { callsHash } from './router.ts';
import { trendChart } from './trend-chart.ts';

const DEFAULT_HOURS = '24';
const WEEK_HOURS = '168';

/** A count, linked to the calls it counts where the list can show them. */
const countCell = (figures: Figures, route: RouteFigures, status: string | null, count: number) => {
  if (status === null || count === 0) return h('td', { class: 'number' }, count);
  const query = new URLSearchParams({ status, route: route.route, since: figures.since });
  return h('td', { class: 'number' }, viewLink(callsHash(query), String(count)));
};

const rowOf = (figures: Figures, route: RouteFigures): HTMLTableRowElement => {
  const timing = route.accepted_to_placed_ms;
  return h(
    'tr',
    {},
    h('th', { attrs: { scope: 'row' } }, route.route),
    countCell(figures, route, null, route.accepted),
    countCell(figures, route, null, route.placed),
    countCell(figures, route, 'completed', route.completed),
    countCell(figures, route, 'failed', route.failed),
    countCell(figures, route, 'unknown', route.unknown),
    countCell(figures, route, 'skipped', route.skipped),
    h('td', { class: 'number' }, timing === null ? '—' : formatDuration(timing.p50)),
    h('td', { class: 'number' }, timing === null ? '—' : formatDuration(timing.p95)),
  );
};

const percent = (share: number | null): string =>
  share === null ? '—' : `${Math.round(share * 100)} %`;

/** A count of calls that ended so, linked to them where the list can show them. */
const resultCell = (figures: Figures, route: RouteFigures, result: string, count: number) => {
  if (count === 0 || route === figures.total) return h('td', { class: 'number' }, count);
  const query = new URLSearchParams({ result, route: route.route, since: figures.since });
  return h('td', { class: 'number' }, viewLink(callsHash(query), String(count)));
};

/** One route's reach: did its calls talk to the customers, how soon did they ring. */
const reachRowOf = (figures: Figures, route: RouteFigures, total = false) => {
  const reach = route.reach;
  const lead = route.speed_to_lead;
  const timing = reach.event_to_placed_ms;
  return h(
    'tr',
    { ...(total && { class: 'total' }) },
    h('th', { attrs: { scope: 'row' } }, route.route),
    h('td', { class: 'number' }, route.placed),
    resultCell(figures, route, 'talked', reach.talked),
    h(
      'td',
      { class: 'number', attrs: { 'data-field': 'connection-rate' } },
      percent(reach.connection_rate),
    ),
    resultCell(figures, route, 'no_answer', reach.results.no_answer),
    resultCell(figures, route, 'busy', reach.results.busy),
    resultCell(figures, route, 'operator_missed', reach.results.operator_missed),
    resultCell(figures, route, 'rejected', reach.results.rejected),
    resultCell(figures, route, 'failed', reach.results.failed),
    h('td', { class: 'number' }, `${reach.redials} (${reach.redials_talked} talked)`),
    h('td', { class: 'number' }, `${reach.called_again} (${reach.called_again_talked} talked)`),
    h('td', { class: 'number' }, timing === null ? '—' : formatDuration(timing.p50)),
    h('td', { class: 'number' }, timing === null ? '—' : formatDuration(timing.p95)),
    h(
      'td',
      { class: 'number' },
      lead == null
        ? '—'
        : `${percent(lead.share)} of ${lead.talked} within ${lead.target_minutes} min`,
    ),
  );
};

const REACH_COLUMNS = [
  'Route',
  'Placed',
  'Talked',
  'Connection rate',
  'No answer',
  'Busy',
  'Operator missed',
  'Rejected',
  'Failed',
  'Redials',
  'Called again',
  'Event to placed, median',
  'Event to placed, 95th percentile',
  'Speed to lead',
];

/** The skipped events of the window by reason, every route together. */
const skippedList = (figures: Figures): HTMLElement => {
  const reasons = Object.entries(figures.total.reach.skipped_by_reason).sort((a, b) => b[1] - a[1]);
  if (reasons.length === 0) return h('p', {}, 'No event was skipped.');
  return h(
    'ul',
    { class: 'skipped-reasons' },
    ...reasons.map(([reason, count]) =>
      h('li', {}, h('code', {}, reason), `: ${plural(count, 'event')}`),
    ),
  );
};

/** Each route's calls of the last 24 hours (`GET /figures`): what became of them, how fast. */
export const figuresView = async (
  ctx: Context,
  view: { query: URLSearchParams },
): Promise<HTMLElement> => {
  const hours = view.query.get('hours') ?? DEFAULT_HOURS;
  // The address is anyone's link: only a number goes in the heading (the API checks its range).
  const title = !/^\d{1,3}$/.test(hours)
    ? 'Figures'
    : hours === DEFAULT_HOURS
      ? 'Figures of the last 24 hours'
      : hours === WEEK_HOURS
        ? 'Figures of the last 7 days'
        : `Figures of the last ${hours} hours`;
  const alert = h('p', { class: 'alert', attrs: { role: 'alert' } });
  const root = h(
    'section',
    { attrs: { 'aria-labelledby': 'view-title' } },
    h('h1', { attrs: { id: 'view-title', tabindex: '-1' } }, title),
    h(
      'nav',
      { class: 'windows', attrs: { 'aria-label': 'Window' } },
      ...[
        [DEFAULT_HOURS, 'Last 24 hours'],
        [WEEK_HOURS, 'Last 7 days'],
      ].map(([value, label]) => {
        const link = viewLink(`figures?hours=${value}`, label);
        if (value === hours) link.setAttribute('aria-current', 'page');
        return link;
      }),
    ),
    alert,
  );
  const answer = await ctx.get<Figures>('figures', new URLSearchParams({ hours }));
  if (!answer.ok) {
    alert.textContent = problemText(answer.problem);
    return root;
  }
  const figures = answer.body;
  append(
    root,
    h(
      'p',
      {},
      'The calls created from ',
      timeElement(figures.since),
      ' to ',
      timeElement(figures.until),
      ', route by route. Placed counts every call that reached the provider, completed ones included; the times run from acceptance to placement.',
    ),
    figures.complete
      ? null
      : h(
          'p',
          { class: 'notice' },
          'The window held more calls than one answer reads: only the newest were counted, so these figures are too low.',
        ),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'figures' },
        h('caption', {}, 'Calls per route'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...[
              'Route',
              'Accepted',
              'Placed',
              'Completed',
              'Failed',
              'Unknown',
              'Skipped',
              'Median to placed',
              '95th percentile to placed',
            ].map((name) => h('th', { attrs: { scope: 'col' } }, name)),
          ),
        ),
        h('tbody', {}, ...figures.routes.map((route) => rowOf(figures, route))),
      ),
    ),
    h('h2', {}, 'Did the calls reach the customers?'),
    h(
      'p',
      {},
      'Talked counts the placed calls one of whose attempts talked to the customer; the connection rate is talked ÷ placed. The other results are how each placed call’s last attempt ended. The times run from the sender’s own event time (else acceptance) to placement.',
    ),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'reach' },
        h('caption', {}, 'Reach per route, and in total'),
        h(
          'thead',
          {},
          h('tr', {}, ...REACH_COLUMNS.map((name) => h('th', { attrs: { scope: 'col' } }, name))),
        ),
        h('tbody', {}, ...figures.routes.map((route) => reachRowOf(figures, route))),
        h('tfoot', {}, reachRowOf(figures, figures.total, true)),
      ),
    ),
    h('h2', {}, 'Trend'),
    h(
      'p',
      {},
      'Each route’s calls by when they were created, the window in 24 slices: grey bars are calls placed, green the part of them that talked.',
    ),
    h(
      'div',
      { class: 'trends' },
      ...[...figures.routes, figures.total].map((route) =>
        h('figure', {}, trendChart(route), h('figcaption', {}, route.route)),
      ),
    ),
    h('h2', {}, 'Skipped events by reason'),
    skippedList(figures),
  );
  return root;
};
