import { problemText } from './api.ts';
import type { CallPage, CallView, RouteList, RouteSummary } from './api-types.ts';
import { bulkPanel } from './bulk.ts';
import { type Context, every, REFRESH_MS } from './context.ts';
import { h, localTime, statusBadge, timeElement, viewLink } from './dom.ts';
import { download, toCsv, toJson } from './export.ts';
import { fromLocalInput, plural, toLocalInput } from './format.ts';
import { callHash, callsHash } from './router.ts';
import { RESULTS, STATUSES } from './statuses.ts';

/** The filters of `GET /calls` the view passes on from its address. */
const FILTERS = ['status', 'result', 'route', 'since', 'until', 'contact_last4', 'key'] as const;
const PAGE_SIZE = '50';
/** The most calls an export reads: pages of 100. */
const EXPORT_PAGES = 20;
const CALL_ID = /^c_[0-9a-f]{32}$/;
/** What the find box takes for a phone number: a plus or digits, 10 digits at least. */
const looksLikePhone = (text: string): boolean =>
  /^\+?[\d\s().-]+$/.test(text) && text.replace(/\D/g, '').length >= 10;

const reasonOf = (call: CallView): string =>
  call.error === null ? '—' : `${call.error.reason}: ${call.error.message}`;

const talkOf = (call: CallView): string =>
  call.talk_s === null || call.talk_s === undefined ? '—' : `${call.talk_s} s`;

/** A key as long as a payload's hash is shortened in the table; the whole of it on hover. */
const KEY_SHOWN = 16;
const keyCell = (key: string | null): HTMLTableCellElement =>
  key === null
    ? h('td', { class: 'key' }, '—')
    : key.length <= KEY_SHOWN
      ? h('td', { class: 'key' }, key)
      : h('td', { class: 'key', attrs: { title: key } }, `${key.slice(0, KEY_SHOWN - 1)}…`);

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
    keyCell(call.event_key ?? null),
    h('td', {}, statusBadge(call.status)),
    h('td', { class: 'outcome' }, call.result ?? '—'),
    h('td', { class: 'number' }, talkOf(call)),
    h('td', { class: 'number' }, call.attempt),
    h('td', {}, call.contact ?? '—'),
    h('td', {}, timeElement(call.updated_at)),
    h('td', { class: 'reason' }, reasonOf(call)),
  );

const field = (label: string, input: HTMLElement, hint?: string): HTMLElement => {
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

/** A route picker: the configured routes (`GET /routes`), and "any route". */
const routePicker = (id: string, routes: readonly RouteSummary[], chosen: string): HTMLElement => {
  const select = h('select', { attrs: { id } });
  select.append(h('option', { attrs: { value: '' } }, 'Any route'));
  const names = routes.map((route) => route.name);
  // A route named in the address that the config no longer has stays choosable.
  if (chosen !== '' && !names.includes(chosen)) names.push(chosen);
  for (const name of names) {
    const route = routes.find((one) => one.name === name);
    const note =
      route === undefined
        ? ' (not configured)'
        : route.cancels !== null
          ? ` (cancels ${route.cancels})`
          : route.redials
            ? ', redials'
            : '';
    select.append(h('option', { attrs: { value: name } }, `${name}${note}`));
  }
  select.value = chosen;
  return select;
};

const checkboxes = (legend: string, name: string, values: readonly string[], chosen: string) => {
  const picked = new Set(chosen.split(',').filter((s) => s !== ''));
  const boxes = values.map((value) =>
    h('input', { attrs: { type: 'checkbox', name, value, checked: picked.has(value) } }),
  );
  const set = h(
    'fieldset',
    { class: 'statuses' },
    h('legend', {}, legend),
    ...boxes.map((box) => h('label', { class: 'check' }, box, box.value)),
  );
  return { set, picked: () => boxes.filter((box) => box.checked).map((box) => box.value) };
};

/** Goes to `hash`, or renders again if the address already says it. */
const go = (ctx: Context, hash: string) => {
  if (hash === location.hash) ctx.rerender();
  else location.hash = hash;
};

/** The filter form, filled from the view's address; applying it changes the address. */
const filterForm = (
  ctx: Context,
  query: URLSearchParams,
  routes: readonly RouteSummary[],
): HTMLFormElement => {
  const statuses = checkboxes('Status', 'status', STATUSES, query.get('status') ?? '');
  const results = checkboxes('Outcome', 'result', RESULTS, query.get('result') ?? '');
  const input = (id: string, attrs: Record<string, string>, value: string) => {
    const element = h('input', { attrs: { id, ...attrs } });
    element.value = value;
    return element;
  };
  const route = routePicker('filter-route', routes, query.get('route') ?? '');
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
  const sort = h(
    'select',
    { attrs: { id: 'filter-sort' } },
    h('option', { attrs: { value: '' } }, 'Newest first'),
    h('option', { attrs: { value: 'activity' } }, 'Last activity first'),
  );
  sort.value = query.get('sort') === 'activity' ? 'activity' : '';
  const form = h(
    'form',
    { class: 'filters', attrs: { role: 'search', 'aria-label': 'Filter calls' } },
    statuses.set,
    results.set,
    h(
      'div',
      { class: 'fields' },
      field('Route', route),
      field('Created from', since, 'your time zone'),
      field('Created until', until, 'your time zone'),
      field('Contact ends in', last4, '4 digits'),
      field('Order', sort),
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
    if (statuses.picked().length > 0) next.set('status', statuses.picked().join(','));
    if (results.picked().length > 0) next.set('result', results.picked().join(','));
    if ((route as HTMLSelectElement).value !== '')
      next.set('route', (route as HTMLSelectElement).value);
    const from = fromLocalInput(since.value);
    if (from !== null) next.set('since', from);
    const to = fromLocalInput(until.value);
    if (to !== null) next.set('until', to);
    if (last4.value !== '') next.set('contact_last4', last4.value);
    if (sort.value === 'activity') next.set('sort', 'activity');
    go(ctx, callsHash(next));
  });
  return form;
};

/**
 * The find box: a call id goes to its page; a full phone number is looked up by the API
 * (`POST /calls/search`, the number in the body, never in the address); anything else is a
 * sender's key (an order number), looked up on the chosen route, or on every route.
 */
const findForm = (
  ctx: Context,
  query: URLSearchParams,
  routes: readonly RouteSummary[],
  searchByPhone: (number: string, route: string) => Promise<boolean>,
): HTMLFormElement => {
  const text = h('input', {
    attrs: { id: 'find-text', type: 'search', autocomplete: 'off', spellcheck: 'false' },
  });
  text.value = query.get('key') ?? '';
  const route = routePicker('find-route', routes, query.get('route') ?? '') as HTMLSelectElement;
  const form = h(
    'form',
    { class: 'find', attrs: { role: 'search', 'aria-label': 'Find a call' } },
    h(
      'div',
      { class: 'fields' },
      field(
        'Find',
        text,
        'a call id, an order number or other key the sender gave, or a full phone number (+7 926 …)',
      ),
      field('In route', route),
      h(
        'div',
        { class: 'buttons' },
        h('button', { class: 'primary', attrs: { type: 'submit' } }, 'Find'),
      ),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const given = text.value.trim();
    if (given === '') return;
    if (CALL_ID.test(given)) {
      location.hash = callHash(given);
      return;
    }
    const byKey = () => {
      const next = new URLSearchParams({ key: given });
      if (route.value !== '') next.set('route', route.value);
      go(ctx, callsHash(next));
    };
    if (!looksLikePhone(given)) {
      byKey();
      return;
    }
    // Written as a number is (a plus, spaces, dashes), it is one; bare digits may also be a
    // long order id (Shopify's are 13 digits): no call to such a number, and it is a key.
    const bareDigits = /^\d+$/.test(given);
    void searchByPhone(given, route.value).then((found) => {
      if (!found && bareDigits) byKey();
    });
  });
  return form;
};

/**
 * The calls, newest first (or by last activity), with the filters of `GET /calls`, a page at a
 * time; with live refresh on, the first page is read again every few seconds and the table
 * updated in place. With `status=skipped` alone it is the list of skipped events and their
 * reasons; with `key`, the call of one event, on the chosen route or on every route.
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
  const byActivity = view.query.get('sort') === 'activity';
  const skippedOnly = query.get('status') === 'skipped';
  const title = skippedOnly ? 'Skipped events' : 'Calls';
  const pageQuery = (cursor?: string, size = PAGE_SIZE) => {
    const page = new URLSearchParams(query);
    page.set('limit', size);
    if (cursor !== undefined) page.set('cursor', cursor);
    return page;
  };

  const routesAnswer = await ctx.get<RouteList>('routes');
  const routes = routesAnswer.ok ? routesAnswer.body.routes : [];

  const alert = h('p', { class: 'alert', attrs: { role: 'alert' } });
  const summary = h('p', { class: 'summary', attrs: { role: 'status' } });
  const tbody = h('tbody');
  const caption = h(
    'caption',
    {},
    `${title}, ${byActivity ? 'last activity first' : 'newest first'}`,
  );
  const table = h(
    'table',
    { class: 'calls' },
    caption,
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...[
          'Call',
          'Created',
          'Route',
          'Key',
          'Status',
          'Outcome',
          'Talked',
          'Attempt',
          'Contact',
          'Last activity',
          'Reason',
        ].map((name) => h('th', { attrs: { scope: 'col' } }, name)),
      ),
    ),
    tbody,
  );
  const more = h('button', { attrs: { type: 'button' } }, 'More calls');
  const refreshed = h('span', { class: 'hint' });
  const live = h('input', {
    attrs: { type: 'checkbox', id: 'live-refresh', checked: ctx.live.on },
  });
  const exportCsv = h('button', { attrs: { type: 'button' } }, 'Export CSV');
  const exportJson = h('button', { attrs: { type: 'button' } }, 'Export JSON');
  const exported = h('span', { class: 'hint', attrs: { role: 'status' } });

  const shown = new Map<string, { row: HTMLTableRowElement; call: CallView }>();
  /** Set while the table shows a search by number: not a page of the address's filters. */
  let phoneSearch = false;
  let cursor: string | null = null;

  const resort = () => {
    if (!byActivity) return;
    const rows = [...shown.values()].sort((a, b) =>
      a.call.updated_at < b.call.updated_at ? 1 : a.call.updated_at > b.call.updated_at ? -1 : 0,
    );
    tbody.append(...rows.map((entry) => entry.row));
  };
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
    resort();
    return rows.length;
  };
  const describe = (what = 'call') => {
    more.hidden = cursor === null;
    summary.textContent =
      shown.size === 0
        ? phoneSearch
          ? 'No call to this number.'
          : 'No calls match these filters.'
        : `${plural(shown.size, what)} shown${cursor === null ? '.' : '; more below.'}`;
  };
  const clear = () => {
    shown.clear();
    tbody.replaceChildren();
  };

  /** The calls to a full number, shown in the table; whether there were any. */
  const searchByPhone = async (number: string, route: string): Promise<boolean> => {
    alert.textContent = '';
    const answer = await ctx.post<CallPage>('calls/search', {
      contact: number,
      ...(route !== '' && { route }),
    });
    if (!answer.ok) {
      alert.textContent = problemText(answer.problem);
      return false;
    }
    phoneSearch = true;
    cursor = null;
    clear();
    show(answer.body.items, 'append');
    caption.textContent = `The calls to ${answer.body.items[0]?.contact ?? 'this number'}, newest first`;
    describe('call to this number');
    ctx.announce(summary.textContent ?? '');
    return answer.body.items.length > 0;
  };

  /** The calls of one event by its key: on the chosen route, else on each configured route. */
  const byKey = async (key: string): Promise<CallView[] | null> => {
    const names =
      query.get('route') !== null
        ? [query.get('route') as string]
        : routes.filter((route) => route.cancels === null).map((route) => route.name);
    const answers = await Promise.all(
      names.map((route) =>
        ctx.get<CallPage>(
          'calls',
          new URLSearchParams({ ...Object.fromEntries(query), route, key }),
        ),
      ),
    );
    const failed = answers.find((answer) => !answer.ok);
    if (failed !== undefined && !failed.ok) {
      alert.textContent = problemText(failed.problem);
      return null;
    }
    return answers
      .flatMap((answer) => (answer.ok ? answer.body.items : []))
      .sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
  };

  /** Every call of the current filters (or the search shown), for an export. */
  const everything = async (): Promise<CallView[]> => {
    if (phoneSearch || query.has('key')) return [...shown.values()].map((entry) => entry.call);
    const calls: CallView[] = [];
    let next: string | undefined;
    for (let page = 0; page < EXPORT_PAGES; page++) {
      const answer = await ctx.get<CallPage>('calls', pageQuery(next, '100'));
      if (!answer.ok) throw new Error(problemText(answer.problem));
      calls.push(...answer.body.items);
      if (answer.body.next_cursor === null) return calls;
      next = answer.body.next_cursor;
    }
    return calls;
  };
  const exportAs = async (format: 'csv' | 'json') => {
    exportCsv.disabled = exportJson.disabled = true;
    try {
      const calls = await everything();
      const stamp = new Date().toISOString().slice(0, 19).replaceAll(':', '-');
      if (format === 'csv') download(`calls-${stamp}.csv`, 'text/csv', toCsv(calls));
      else download(`calls-${stamp}.json`, 'application/json', toJson(calls));
      exported.textContent = `Exported ${plural(calls.length, 'call')} as ${format.toUpperCase()}.`;
    } catch (error) {
      alert.textContent = error instanceof Error ? error.message : 'The export failed.';
    } finally {
      exportCsv.disabled = exportJson.disabled = false;
    }
  };
  exportCsv.addEventListener('click', () => void exportAs('csv'));
  exportJson.addEventListener('click', () => void exportAs('json'));

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
    findForm(ctx, query, routes, searchByPhone),
    filterForm(ctx, query, routes),
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
    h('div', { class: 'table-scroll' }, table),
    more,
    h('div', { class: 'buttons exports' }, exportCsv, exportJson, exported),
    bulkPanel(ctx, () => [...shown.values()].map((entry) => entry.call)),
  );
  if (!routesAnswer.ok) alert.textContent = problemText(routesAnswer.problem);

  const key = query.get('key');
  if (key !== null) {
    const found = await byKey(key);
    more.hidden = true;
    if (found === null) return root;
    show(found, 'append');
    caption.textContent = `The calls of the event with key “${key}”`;
    summary.textContent =
      found.length === 0
        ? `No call has the key “${key}”.`
        : `${plural(found.length, 'call')} found.`;
    return root;
  }

  const first = await ctx.get<CallPage>('calls', pageQuery());
  if (!first.ok) {
    alert.textContent = problemText(first.problem);
    table.hidden = true;
    more.hidden = true;
    return root;
  }

  cursor = first.body.next_cursor;
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
    if (phoneSearch) return;
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
    refreshed.textContent = `Updated ${localTime(new Date())}.`;
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
