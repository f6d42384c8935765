import { problemText } from './api.ts';
import type { CallPage, CallView } from './api-types.ts';
import { type Context, every, REFRESH_MS } from './context.ts';
import { h, statusBadge, timeElement, viewLink } from './dom.ts';
import { fromLocalInput, plural, toLocalInput } from './format.ts';
import { callHash, callsHash } from './router.ts';
import { STATUSES } from './statuses.ts';

/** The filters of `GET /calls` the view passes on from its address. */
const FILTERS = ['status', 'route', 'since', 'until', 'contact_last4'] as const;
const PAGE_SIZE = '50';

const reasonOf = (call: CallView): string =>
  call.error === null ? '—' : `${call.error.reason}: ${call.error.message}`;

const rowOf = (call: CallView): HTMLTableRowElement =>
  h(
    'tr',
    { attrs: { 'data-call-id': call.call_id } },
    h(
      'th',
      { attrs: { scope: 'row' } },
      viewLink(callHash(call.call_id), h('code', {}, call.call_id)),
    ),
    h('td', {}, timeElement(call.created_at)),
    h('td', {}, call.route),
    h('td', {}, statusBadge(call.status)),
    h('td', {}, call.contact ?? '—'),
    h('td', { class: 'number' }, call.attempts),
    h('td', { class: 'reason' }, reasonOf(call)),
  );

const field = (label: string, input: HTMLInputElement, hint?: string): HTMLElement => {
  const hintId = hint === undefined ? undefined : `${input.id}-hint`;
  if (hintId !== undefined) input.setAttribute('aria-describedby', hintId);
  return h(
    'div',
    { class: 'field' },
    h('label', { attrs: { for: input.id } }, label),
    input,
    hint === undefined ? null : h('span', { class: 'hint', attrs: { id: hintId } }, hint),
  );
};

/** The filter form, filled from the view's address; applying it changes the address. */
const filterForm = (ctx: Context, query: URLSearchParams): HTMLFormElement => {
  const chosen = new Set((query.get('status') ?? '').split(',').filter((s) => s !== ''));
  const boxes = STATUSES.map((status) =>
    h('input', {
      attrs: { type: 'checkbox', name: 'status', value: status, checked: chosen.has(status) },
    }),
  );
  const input = (id: string, attrs: Record<string, string>, value: string) => {
    const element = h('input', { attrs: { id, ...attrs } });
    element.value = value;
    return element;
  };
  const route = input(
    'filter-route',
    { type: 'text', autocomplete: 'off' },
    query.get('route') ?? '',
  );
  const since = input('filter-since', { type: 'datetime-local' }, toLocalInput(query.get('since')));
  const until = input('filter-until', { type: 'datetime-local' }, toLocalInput(query.get('until')));
  const last4 = input(
    'filter-last4',
    {
      type: 'text',
      inputmode: 'numeric',
      pattern: '[0-9]{4}',
      maxlength: '4',
      autocomplete: 'off',
    },
    query.get('contact_last4') ?? '',
  );
  const form = h(
    'form',
    { class: 'filters', attrs: { role: 'search', 'aria-label': 'Filter calls' } },
    h(
      'fieldset',
      { class: 'statuses' },
      h('legend', {}, 'Status'),
      ...boxes.map((box) => h('label', { class: 'check' }, box, box.value)),
    ),
    h(
      'div',
      { class: 'fields' },
      field('Route', route),
      field('Created from', since, 'your time zone'),
      field('Created until', until, 'your time zone'),
      field('Contact ends in', last4, '4 digits'),
      h(
        'div',
        { class: 'buttons' },
        h('button', { class: 'primary', attrs: { type: 'submit' } }, 'Apply filters'),
        viewLink('calls', 'Clear filters'),
      ),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    const statuses = boxes.filter((box) => box.checked).map((box) => box.value);
    if (statuses.length > 0) next.set('status', statuses.join(','));
    if (route.value.trim() !== '') next.set('route', route.value.trim());
    const from = fromLocalInput(since.value);
    if (from !== null) next.set('since', from);
    const to = fromLocalInput(until.value);
    if (to !== null) next.set('until', to);
    if (last4.value !== '') next.set('contact_last4', last4.value);
    const hash = callsHash(next);
    if (hash === location.hash) ctx.rerender();
    else location.hash = hash;
  });
  return form;
};

/**
 * The calls, newest first, with the filters of `GET /calls`, a page at a time; with live
 * refresh on, the first page is read again every few seconds and the table updated in place.
 * With `status=skipped` alone it is the list of skipped events and their reasons.
 */
export const callsView = async (
  ctx: Context,
  view: { query: URLSearchParams },
): Promise<HTMLElement> => {
  const query = new URLSearchParams();
  for (const name of FILTERS) {
    const value = view.query.get(name);
    if (value !== null && value !== '') query.set(name, value);
  }
  const skippedOnly = query.get('status') === 'skipped';
  const title = skippedOnly ? 'Skipped events' : 'Calls';
  const pageQuery = (cursor?: string) => {
    const page = new URLSearchParams(query);
    page.set('limit', PAGE_SIZE);
    if (cursor !== undefined) page.set('cursor', cursor);
    return page;
  };

  const alert = h('p', { class: 'alert', attrs: { role: 'alert' } });
  const summary = h('p', { class: 'summary' });
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'calls' },
    h('caption', {}, `${title}, newest first`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Call', 'Created', 'Route', 'Status', 'Contact', 'Tries', 'Reason'].map((name) =>
          h('th', { attrs: { scope: 'col' } }, name),
        ),
      ),
    ),
    tbody,
  );
  const more = h('button', { attrs: { type: 'button' } }, 'More calls');
  const refreshed = h('span', { class: 'hint' });
  const live = h('input', {
    attrs: { type: 'checkbox', id: 'live-refresh', checked: ctx.live.on },
  });
  const root = h(
    'section',
    { attrs: { 'aria-labelledby': 'view-title' } },
    h('h1', { attrs: { id: 'view-title', tabindex: '-1' } }, title),
    skippedOnly
      ? h(
          'p',
          {},
          'Authentic events that must not ring, each kept with its reason. No call was made for them.',
        )
      : null,
    filterForm(ctx, query),
    h(
      'p',
      { class: 'live' },
      live,
      h(
        'label',
        { attrs: { for: 'live-refresh' } },
        `Live refresh (every ${REFRESH_MS / 1000} seconds)`,
      ),
      ' ',
      refreshed,
    ),
    alert,
    summary,
    table,
    more,
  );

  const first = await ctx.get<CallPage>('calls', pageQuery());
  if (!first.ok) {
    alert.textContent = problemText(first.problem);
    table.hidden = true;
    more.hidden = true;
    return root;
  }

  const shown = new Map<string, { row: HTMLTableRowElement; call: CallView }>();
  let cursor = first.body.next_cursor;
  const show = (calls: CallView[], where: 'append' | 'prepend') => {
    const rows = calls
      .filter((call) => !shown.has(call.call_id))
      .map((call) => {
        const row = rowOf(call);
        shown.set(call.call_id, { row, call });
        return row;
      });
    if (where === 'append') tbody.append(...rows);
    else tbody.prepend(...rows);
    return rows.length;
  };
  const describe = () => {
    more.hidden = cursor === null;
    summary.textContent =
      shown.size === 0
        ? 'No calls match these filters.'
        : `${plural(shown.size, 'call')} shown${cursor === null ? '.' : '; more below.'}`;
  };
  show(first.body.items, 'append');
  describe();

  more.addEventListener('click', async () => {
    if (cursor === null) return;
    more.disabled = true;
    try {
      const page = await ctx.get<CallPage>('calls', pageQuery(cursor));
      if (!page.ok) {
        alert.textContent = problemText(page.problem);
        return;
      }
      cursor = page.body.next_cursor;
      const added = show(page.body.items, 'append');
      describe();
      ctx.announce(`${plural(added, 'more call')} loaded.`);
    } finally {
      more.disabled = false;
    }
  });

  /** The first page read again: new calls go on top, changed ones are redrawn in place. */
  const refresh = async () => {
    const page = await ctx.get<CallPage>('calls', pageQuery());
    if (!page.ok) {
      alert.textContent = problemText(page.problem);
      return;
    }
    alert.textContent = '';
    let changed = 0;
    let gone = 0;
    const fresh = new Set(page.body.items.map((call) => call.call_id));
    const oldest = page.body.items.at(-1)?.created_at;
    for (const [id, { row, call }] of shown) {
      // Within the span the fresh page covers, a call it lacks no longer matches the filters.
      const covered =
        page.body.next_cursor === null || (oldest !== undefined && call.created_at >= oldest);
      if (!fresh.has(id) && covered) {
        row.remove();
        shown.delete(id);
        gone += 1;
      }
    }
    const added: CallView[] = [];
    for (const call of page.body.items) {
      const known = shown.get(call.call_id);
      if (known === undefined) added.push(call);
      else if (known.call.updated_at !== call.updated_at) {
        const row = rowOf(call);
        known.row.replaceWith(row);
        shown.set(call.call_id, { row, call });
        changed += 1;
      }
    }
    show(added, 'prepend');
    describe();
    refreshed.textContent = `Updated ${new Date().toLocaleTimeString()}.`;
    const news = [
      added.length > 0 ? plural(added.length, 'new call') : '',
      changed > 0 ? `${plural(changed, 'call')} changed` : '',
      gone > 0 ? `${plural(gone, 'call')} no longer matching` : '',
    ].filter((part) => part !== '');
    if (news.length > 0) ctx.announce(`${news.join(', ')}.`);
  };

  // Switched off and on again within a period, the older loop must not run on beside the new.
  let loops = 0;
  const startRefreshing = () => {
    const loop = ++loops;
    every(ctx, REFRESH_MS, async () => {
      if (!ctx.live.on || loop !== loops) return false;
      await refresh();
    });
  };
  live.addEventListener('change', () => {
    ctx.live.on = live.checked;
    if (live.checked) {
      void refresh().catch(() => undefined);
      startRefreshing();
    } else refreshed.textContent = '';
  });
  if (ctx.live.on) startRefreshing();
  return root;
};
