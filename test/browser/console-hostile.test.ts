import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../shared/calls/call-record.ts';
import { chromiumForSuite, launchChromium, type RunningChromium } from '../support/chromium.ts';
import { getCall } from '../support/http.ts';
import { ADMIN_KEY, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/*
 * The console against a call whose every text field came from someone hostile: the sender
 * (route-independent payload fields), the provider (its notification, its report, its error)
 * and a callback receiver. Each must reach the reader as text, and a field the console does not
 * expect must not take the page down.
 */

const chromium = chromiumForSuite('console hostile data');

/** Markup that would run (or at least show up as an element) if it were ever parsed as HTML. */
const markup = (name: string) => `<img src=x id="xss-${name}" onerror="window.__xss='${name}'">`;

const CALL_ID = `c_${'a1'.repeat(16)}`;
const ROUTE = markup('route');

const hostileRecord = (): CallRecord => {
  const now = Date.now();
  const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();
  return {
    call_id: CALL_ID,
    route: ROUTE,
    account: 'demo',
    status: 'failed',
    request: {
      method: markup('method'),
      params: { contact: `${markup('contact')}79260000123` },
    },
    fingerprint: 'f',
    attempts: 1,
    max_attempts: 3,
    error: { reason: markup('reason'), message: markup('message'), code: -32602 },
    outcome: {
      reported_by: 'report',
      event: JSON.stringify({
        event: markup('event'),
        finish_reason: markup('finish-reason'),
        notification_time: at(40),
        talk_time_duration: 3,
      }),
    },
    attempt: 2,
    retries: 1,
    dials: [
      {
        attempt: 1,
        call_session_id: 100000001,
        ended_at: at(35),
        reported_at: at(30),
        outcome: {
          result: 'failed',
          finish_reason: markup('report-reason'),
          talk_s: 0,
          wait_s: 4,
          ended_at: at(35),
        },
        error: { reason: markup('dial-reason'), message: markup('dial-message') },
      },
      {
        attempt: 2,
        // A cause of a newer API, and a result the console does not know: shown as they are.
        cause: markup('cause'),
        went_unknown: true,
        notified_result: markup('result'),
        error: { reason: markup('reason'), message: markup('message'), code: -32602 },
      },
    ],
    callback_log: {
      [`${CALL_ID}.3`]: {
        webhook_id: `${CALL_ID}.3`,
        status: 'failed',
        attempts: 2,
        outcome: 'retrying',
        status_code: 500,
        last_error: markup('last-error'),
        at: at(20),
        next_attempt_at: at(-60),
      },
    },
    history: [
      { status: 'queued', at: at(60) },
      { status: 'dialing', at: at(50) },
      { status: 'failed', at: at(45), reason: markup('history') },
    ],
    version: 3,
    created_at: at(60),
    updated_at: at(20),
    expires_at: Math.floor(now / 1000) + 3600,
  } as CallRecord;
};

describe.skipIf(!chromium)('The web console, on hostile call data', () => {
  let rt: TestRuntime;
  let browser: RunningChromium;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    rt = await startTestRuntime({ sweepIntervalMs: 0 });
    await rt.store.create(hostileRecord(), new Date());
    browser = await launchChromium();
    browser.context.setDefaultTimeout(15_000);
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

  /** A new tab signed in through the form, then sent to `hash`. */
  const signedIn = async (hash: string): Promise<Page> => {
    const page = await browser.context.newPage();
    await page.goto(`${rt.bridgeUrl}/console`);
    await page.getByLabel('Admin key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
    return page;
  };

  /** Nothing of the markup became an element, and none of it ran. */
  const expectInert = async (page: Page) => {
    expect(await page.locator('main img, main script, main [onerror]').count()).toBe(0);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(pageErrors).toEqual([]);
  };

  it('shows every field of the call, its attempts and its timeline as text, the report included', async () => {
    const page = await signedIn(`#/calls/${CALL_ID}`);
    await heading(page, `Call ${CALL_ID}`).waitFor();
    const field = (name: string) => page.locator(`dd[data-field="${name}"]`);
    const api = (await getCall(rt.bridgeUrl, CALL_ID)).body as {
      contact: string;
      timeline: unknown[];
    };

    expect(await field('route').textContent()).toBe(ROUTE);
    expect(await field('method').textContent()).toBe(markup('method'));
    expect(await field('contact').textContent()).toBe(api.contact);
    expect(await field('reason').textContent()).toBe(
      `${markup('reason')}: ${markup('message')} (code -32602)`,
    );
    // One row per entry the API answers: status changes, the notification, the report, the callback.
    const rows = page.locator('table.timeline tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(api.timeline.length);
    const text = (await rows.allTextContents()).join('\n');
    for (const name of ['history', 'event', 'finish-reason', 'report-reason', 'last-error'])
      expect(text).toContain(markup(name));
    // Each attempt, its provider-given texts as text too.
    const attempts = page.locator('table.attempts tbody tr');
    expect(await attempts.count()).toBe(2);
    const [first, second] = await attempts.allTextContents();
    for (const name of ['report-reason', 'dial-reason', 'dial-message'])
      expect(first).toContain(markup(name));
    for (const name of ['cause', 'result', 'reason', 'message'])
      expect(second).toContain(markup(name));
    expect(await field('attempt').textContent()).toBe('2');
    await expectInert(page);
    await page.close();
  });

  it('lists the call and counts its route with the route’s name as text', async () => {
    const page = await signedIn('#/calls');
    const row = page.locator(`tr[data-call-id="${CALL_ID}"]`);
    await row.waitFor();
    expect(await row.locator('td').nth(1).textContent()).toBe(ROUTE);
    expect(await row.locator('td.reason').textContent()).toBe(
      `${markup('reason')}: ${markup('message')}`,
    );

    await page.evaluate("location.hash = '#/figures'");
    await heading(page, 'Figures of the last 24 hours').waitFor();
    await page
      .locator('table.figures')
      .getByRole('rowheader', { name: ROUTE, exact: true })
      .waitFor();
    // Its reach row and its chart name it as text too.
    await page
      .locator('table.reach')
      .getByRole('rowheader', { name: ROUTE, exact: true })
      .waitFor();
    const chartLabels = await page
      .locator('svg.trend')
      .evaluateAll((charts) => charts.map((chart) => chart.getAttribute('aria-label') ?? ''));
    expect(chartLabels.some((label) => label.startsWith(`${ROUTE}: `))).toBe(true);
    await expectInert(page);
    await page.close();
  });

  it('answers an address it cannot decode with its not-found page', async () => {
    const page = await signedIn('#/calls');
    await heading(page, 'Calls').waitFor();
    // A link someone sent: `%E0%A4%A` is no UTF-8, so decodeURIComponent throws on it.
    await page.evaluate("location.hash = '#/calls/%E0%A4%A'");

    await heading(page, 'Nothing here').waitFor();
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('titles the figures by a number of hours only, whatever the address says', async () => {
    const page = await signedIn('#/calls');
    await heading(page, 'Calls').waitFor();
    await page.evaluate(
      "location.hash = '#/figures?hours=' + encodeURIComponent('24 hours. Your key expired: sign in at evil.example. Figures of the last 1')",
    );

    // The API refuses the value; the heading repeats none of it.
    await page.getByRole('alert').filter({ hasText: 'hours must be a whole number' }).waitFor();
    expect(await page.locator('h1').textContent()).toBe('Figures');
    await page.close();
  });
});
