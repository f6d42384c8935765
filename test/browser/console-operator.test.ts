import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.ts';
import { chromiumForSuite, launchChromium, type RunningChromium } from '../support/chromium.ts';
import { startClockedRuntime } from '../support/clocked-runtime.ts';
import { DEMO_ACCOUNT } from '../support/configs.ts';
import { getCall, waitForStatus } from '../support/http.ts';
import { ADMIN_KEY, HOOK_TOKEN, type TestRuntime } from '../support/runtime.ts';

/*
 * The operator's day in the web console (Chromium against the local runtime, the simulator's
 * Call API and Data API on a clock the test moves): find a call by the shop's order number, by
 * the full number and by its id; see how it ended and what it said; call it again; the figures;
 * act on many; export; all on a phone's width too.
 */

const chromium = chromiumForSuite('console, the operator’s day');
const MINUTE = 60_000;
const UNTIL_REPORTED = 2 * MINUTE + 5_000;

const config = parseConfig(
  {
    accounts: { demo: { ...DEMO_ACCOUNT, data_api: { secret: 'demo/dataapi' } } },
    routes: {
      orders: {
        account: 'demo',
        auth: { type: 'token', secret: 'demo/hook-token' },
        idempotency_key: 'order_id',
        call: {
          method: 'start.informer_call',
          contact: 'phone',
          contact_message: { type: 'tts', value: '"Your order " & order_id & " is ready."' },
        },
      },
      // Shopify's order ids are 13 digits: a key the find box must not take for a number.
      shop: {
        account: 'demo',
        auth: { type: 'token', secret: 'demo/hook-token' },
        idempotency_key: 'order_id',
        calling_hours: { time_zone: 'UTC', from: '00:00', to: '00:01' },
        call: {
          method: 'start.informer_call',
          contact: 'phone',
          contact_message: { type: 'tts', value: '"Hello"' },
        },
      },
      leads: {
        account: 'demo',
        auth: { type: 'token', secret: 'demo/hook-token' },
        idempotency_key: 'order_id',
        calling_hours: { time_zone: 'UTC', from: '00:00', to: '00:01' },
        call: {
          method: 'start.informer_call',
          contact: 'phone',
          contact_message: { type: 'tts', value: '"Hello"' },
        },
      },
    },
  },
  'console operator test',
);

describe.skipIf(!chromium)('The operator’s day in the web console, in Chromium', () => {
  let rt: TestRuntime;
  let clocked: Awaited<ReturnType<typeof startClockedRuntime>>;
  let browser: RunningChromium;
  const requested: { url: string; body: string | null }[] = [];
  const pageErrors: string[] = [];
  const ids = { missed: '', talked: '', shop: '', waiting: [] as string[] };

  const accept = async (
    route: string,
    phone: string,
    orderId: string,
    more: Record<string, unknown> = {},
  ): Promise<string> => {
    const response = await fetch(`${rt.bridgeUrl}/hooks/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-callhook-token': HOOK_TOKEN },
      body: JSON.stringify({ phone, order_id: orderId, ...more }),
    });
    return String(((await response.json()) as { call_id: string }).call_id);
  };

  beforeAll(async () => {
    // 12:00 UTC: the leads route's calling hours are long over, so its calls wait scheduled.
    clocked = await startClockedRuntime(config, { base: Date.parse('2030-01-07T12:00:00Z') });
    rt = clocked.rt;
    rt.simulator.setOutcome({ contact: '79260001042', fate: 'no_answer' });
    rt.simulator.setOutcome({ contact: '79260001043', fate: 'talked', times: 1 });
    ids.missed = await accept('orders', '+7 926 000-10-42', '1042', {
      customer: { name: 'Anna' },
      api_key: 'sk_live_never_shown',
    });
    ids.talked = await accept('orders', '+79260001043', '1043');
    ids.shop = await accept('shop', '+79260001045', '5551234567890');
    for (const n of [1, 2, 3]) ids.waiting.push(await accept('leads', `+7926000200${n}`, `L${n}`));
    await waitForStatus(rt.bridgeUrl, ids.missed, 'placed');
    await waitForStatus(rt.bridgeUrl, ids.talked, 'placed');
    clocked.advance(UNTIL_REPORTED);
    await clocked.sweep();
    browser = await launchChromium();
    browser.context.setDefaultTimeout(15_000);
    browser.context.on('request', (request) =>
      requested.push({ url: request.url(), body: request.postData() }),
    );
    browser.context.on('page', (page) => {
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        if (/Content Security Policy|Trusted ?Type/i.test(message.text()))
          pageErrors.push(message.text());
      });
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await rt?.stop();
  });

  const heading = (page: Page, name: string | RegExp) =>
    page.getByRole('heading', { level: 1, name });
  const field = (page: Page, name: string) => page.locator(`dd[data-field="${name}"]`);
  const rowIds = (page: Page) =>
    page
      .locator('table.calls tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-call-id')));

  const signedIn = async (hash = '#/calls'): Promise<Page> => {
    const page = await browser.context.newPage();
    await page.goto(`${rt.bridgeUrl}/console${hash}`);
    await page.getByLabel('Admin key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    return page;
  };
  const find = async (page: Page, text: string) => {
    await page.getByRole('searchbox', { name: 'Find' }).fill(text);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
  };

  it('finds order 1042 by its number on every route, and shows how it ended', async () => {
    const page = await signedIn();
    await heading(page, 'Calls').waitFor();
    await find(page, '1042');

    await page.waitForURL(/#\/calls\?key=1042$/);
    await page.locator('.summary', { hasText: '1 call found.' }).waitFor();
    expect(await rowIds(page)).toEqual([ids.missed]);
    const row = page.locator(`tr[data-call-id="${ids.missed}"]`);
    expect(await row.locator('td.key').textContent()).toBe('1042');
    expect(await row.locator('td.outcome').textContent()).toBe('no_answer');
    // One local format, the UTC time on hover.
    expect(await row.locator('time').first().getAttribute('title')).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/,
    );
    await page.close();
  });

  it('finds the calls to a full number, sent in a POST body and never in a URL', async () => {
    const page = await signedIn();
    await heading(page, 'Calls').waitFor();
    await find(page, '+7 926 000-10-42');

    await page.locator('.summary', { hasText: '1 call to this number shown.' }).waitFor();
    expect(await rowIds(page)).toEqual([ids.missed]);
    const search = requested.filter((request) => request.url.endsWith('/calls/search'));
    expect(search.map((request) => JSON.parse(request.body ?? '{}'))).toEqual([
      { contact: '+7 926 000-10-42' },
    ]);
    expect(requested.filter((request) => /9260001042|000-10-42/.test(request.url))).toEqual([]);
    expect(page.url()).not.toMatch(/1042/);
    await page.close();
  });

  it('takes a long order number with no call to it as a number for a key', async () => {
    const page = await signedIn();
    await heading(page, 'Calls').waitFor();
    await find(page, '5551234567890');

    await page.waitForURL(/#\/calls\?key=5551234567890$/);
    await page.locator('.summary', { hasText: '1 call found.' }).waitFor();
    expect(await rowIds(page)).toEqual([ids.shop]);
    await page.close();
  });

  it('goes to a call whose id is pasted into the search box', async () => {
    const page = await signedIn();
    await heading(page, 'Calls').waitFor();
    await find(page, ` ${ids.talked} `);

    await heading(page, `Call ${ids.talked}`).waitFor();
    expect(await field(page, 'result').textContent()).toBe('talked');
    await page.close();
  });

  it('filters by outcome, the filter in the address', async () => {
    const page = await signedIn();
    await heading(page, 'Calls').waitFor();
    await page
      .getByRole('group', { name: 'Outcome' })
      .getByRole('checkbox', { name: 'no_answer' })
      .check();
    await page.getByLabel('Route', { exact: true }).selectOption('orders');
    await page.getByRole('button', { name: 'Apply filters' }).click();

    await page.waitForURL(/#\/calls\?result=no_answer&route=orders$/);
    await page.locator('.summary', { hasText: '1 call shown.' }).waitFor();
    expect(await rowIds(page)).toEqual([ids.missed]);
    await page.close();
  });

  it('shows what the call said, its sender’s key, the event as received, and each attempt with its provider’s reason', async () => {
    const page = await signedIn(`#/calls/${ids.missed}`);
    await heading(page, `Call ${ids.missed}`).waitFor();

    // The sender's payload, masked by the API, the fields the route read highlighted and named.
    const payload = page
      .getByRole('region', { name: 'The event as received' })
      .locator('pre[data-payload]');
    expect(await payload.locator('mark').allTextContents()).toEqual([
      '"phone": "*******1042",',
      '"order_id": "1042",',
    ]);
    expect(await payload.locator('mark[data-read="contact"]').count()).toBe(1);
    expect(await payload.locator('mark[data-read="key call"]').count()).toBe(1);
    const shown = String(await payload.textContent());
    expect(shown).toContain('"name": "Anna"');
    expect(shown).toContain('"api_key": "***"');
    expect(shown).toContain('← read as the key and what the call says');
    expect(shown).not.toMatch(/9260001042|000-10-42|sk_live/);

    expect(await field(page, 'event_key').textContent()).toBe('1042');
    expect(await page.locator('dd[data-said="contact_message"]').textContent()).toBe(
      'tts: Your order 1042 is ready.',
    );
    expect(await page.locator('dd[data-said="contact"]').textContent()).toContain('*******1042');
    const stored = (await getCall(rt.bridgeUrl, ids.missed)).body as {
      call_session_id: number;
      dials: { finish_reason: string }[];
    };
    const attempt = page.locator('table.attempts tbody tr').first();
    const cells = await attempt.locator('th, td').allTextContents();
    expect(cells).toEqual(
      expect.arrayContaining([
        String(stored.call_session_id),
        'no_answer',
        String(stored.dials[0]?.finish_reason),
      ]),
    );
    await page.close();
  });

  it('calls a call that did not reach the customer again, naming the number’s calls today', async () => {
    const page = await signedIn(`#/calls/${ids.missed}`);
    await heading(page, `Call ${ids.missed}`).waitFor();
    await page.getByRole('button', { name: 'Call again…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Call this customer again?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/\*{7}1042.*it had 1 call: .+\(attempt 1\)/);
    await dialog.getByRole('button', { name: 'Call again' }).click();

    await page
      .getByRole('status')
      .filter({ hasText: 'Call again accepted: the call is now queued.' })
      .waitFor();
    await field(page, 'status')
      .filter({ hasText: /^placed$/ })
      .waitFor();
    expect(rt.simulator.calls().map((call) => call.params.external_id)).toContain(
      `${ids.missed}-2`,
    );
    expect(
      await page.locator('table.attempts tbody tr').nth(1).locator('th, td').allTextContents(),
    ).toEqual(expect.arrayContaining(['2 (current)', 'operator’s call again']));
    await page.close();
  });

  it('asks twice before calling a customer who talked', async () => {
    const page = await signedIn(`#/calls/${ids.talked}`);
    await heading(page, `Call ${ids.talked}`).waitFor();
    await page.getByRole('button', { name: 'Call again…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Call again' }).click();
    const second = page.getByRole('dialog', { name: /reached the customer/ });
    await second.waitFor();
    // Escape on the second question calls nobody.
    await page.keyboard.press('Escape');
    await second.waitFor({ state: 'detached' });
    expect((await getCall(rt.bridgeUrl, ids.talked)).body.status).toBe('completed');

    await page.getByRole('button', { name: 'Call again…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Call again' }).click();
    await second.getByRole('button', { name: 'Yes, call them again' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Call again accepted: the call is now queued.' })
      .waitFor();
    await page.close();
  });

  it('shows the figures with the connection rate and a trend chart per route, for 24 hours and 7 days', async () => {
    const page = await signedIn('#/figures');
    await heading(page, 'Figures of the last 24 hours').waitFor();
    const reach = page
      .locator('table.reach tbody tr')
      .filter({ has: page.getByRole('rowheader', { name: 'orders', exact: true }) });
    // Two placed, one talked (its call again is still ringing).
    expect(await reach.locator('[data-field="connection-rate"]').textContent()).toBe('50 %');
    expect(await page.locator('table.reach tfoot th').textContent()).toBe('All routes');
    const chart = page.locator('svg.trend[data-route="orders"]');
    expect(await chart.getAttribute('aria-label')).toMatch(/^orders: 2 placed, 1 talked/);
    expect(await chart.locator('rect.placed').count()).toBe(24);
    expect(await page.locator('svg.trend').count()).toBe(4);

    await page.getByRole('link', { name: 'Last 7 days' }).click();
    await heading(page, 'Figures of the last 7 days').waitFor();
    await page.close();
  });

  it('acts on the filtered calls in bulk after a dry run that changes nothing', async () => {
    const page = await signedIn('#/calls?route=leads');
    await page.locator('.summary', { hasText: '3 calls shown.' }).waitFor();
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(request.postData() ?? '');
    });
    await page.getByLabel('Action').selectOption('cancel');
    await page.getByRole('button', { name: 'Count (dry run)' }).click();
    await page
      .getByText('Dry run: cancel applies to 3 of 3 calls shown. Nothing was changed.')
      .waitFor();
    for (const id of ids.waiting)
      expect((await getCall(rt.bridgeUrl, id)).body.status).toBe('scheduled');

    await page.getByRole('button', { name: 'Cancel 3 calls…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel 3 calls' }).click();
    await page.locator('.bulk').getByText('Done: 3 calls cancelled.').waitFor();
    for (const id of ids.waiting)
      expect((await getCall(rt.bridgeUrl, id)).body.status).toBe('cancelled');
    expect(posts.map((body) => JSON.parse(body).dry_run)).toEqual([true, false]);
    await page.close();
  });

  it('exports the filtered list as CSV and JSON, masked as the list is', async () => {
    const page = await signedIn('#/calls?route=orders');
    await page.locator('.summary', { hasText: '2 calls shown.' }).waitFor();

    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const text = await readFile(String(await csv.path()), 'utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(
      'call_id,created_at,updated_at,route,event_key,status,result,talk_s,attempt,attempts,contact,error_reason',
    );
    expect(lines).toHaveLength(3);
    expect(text).toContain(`${ids.missed},`);
    expect(text).toContain(',1042,');
    expect(text).not.toMatch(/9260001042/);

    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    const rows = JSON.parse(await readFile(String(await json.path()), 'utf8')) as {
      call_id: string;
      contact: string;
    }[];
    expect(rows.map((row) => row.call_id).sort()).toEqual([ids.missed, ids.talked].sort());
    expect(rows.map((row) => row.contact)).toEqual(['*******1043', '*******1042']);
    await page.getByText('Exported 2 calls as JSON.').waitFor();
    await page.close();
  });

  it('keeps every control reachable on a 390 px wide screen', async () => {
    const page = await signedIn();
    await page.setViewportSize({ width: 390, height: 844 });
    for (const hash of ['#/calls', `#/calls/${ids.missed}`, '#/figures']) {
      await page.goto(`${rt.bridgeUrl}/console${hash}`);
      await page.locator('main h1').waitFor();
      await page.locator('main[aria-busy]').waitFor({ state: 'detached' });
      // The page never scrolls sideways; every control lies within its width.
      const wide = await page.evaluate(
        `[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 391 && e.closest('.table-scroll') === null).map((e) => e.tagName + '.' + e.className + '#' + e.id).slice(0, 8)`,
      );
      expect({ hash, wide }).toEqual({ hash, wide: [] });
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      const outside = await page
        .locator('button:visible, input:visible, select:visible, nav a:visible')
        .evaluateAll((elements) =>
          elements
            .filter((element) => {
              const box = element.getBoundingClientRect();
              // Inside a table's own scroll box is reachable: that box scrolls.
              return element.closest('.table-scroll') === null && (box.left < 0 || box.right > 390);
            })
            .map((element) => element.outerHTML.slice(0, 80)),
        );
      expect({ hash, outside }).toEqual({ hash, outside: [] });
    }
    await page.close();
  });

  it('never leaves the origin, and nothing breaks the CSP', () => {
    expect(requested.length).toBeGreaterThan(20);
    expect(requested.filter((request) => !request.url.startsWith(`${rt.bridgeUrl}/`))).toEqual([]);
    expect(requested.filter((request) => request.url.includes(ADMIN_KEY))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
