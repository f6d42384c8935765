import { problemText } from './api.ts';
import type { Figures, RouteFigures } from './api-types.ts';
import type { Context } from './context.ts';
import { append, h, timeElement, viewLink } from './dom.ts';
import { formatDuration } from './format.ts';
import { callsHash } from './router.ts';

const DEFAULT_HOURS = '24';

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
      : `Figures of the last ${hours} hours`;
  const alert = h('p', { class: 'alert', attrs: { role: 'alert' } });
  const root = h(
    'section',
    { attrs: { 'aria-labelledby': 'view-title' } },
    h('h1', { attrs: { id: 'view-title', tabindex: '-1' } }, title),
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
  );
  return root;
};
