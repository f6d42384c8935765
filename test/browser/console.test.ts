import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumForSuite, launchChromium, type RunningChromium } from '../support/chromium.ts';
import { consoleDemoConfig, LATER_ROUTE } from '../support/console-demo.ts';
import { getCall, postCallAction, postHook, waitForStatus } from '../support/http.ts';
import { ADMIN_KEY, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/*
 * The web console in a real browser (Debian's Chromium, driven by playwright-core) against the
 * local runtime: every request the page makes reaches the same bridge a deployment's API
 * Gateway stands in for, and every call it shows was made through a webhook.
 */

const chromium = chromiumForSuite('console');

describe.skipIf(!chromium)('The web console, in Chromium', () => {
  let rt: TestRuntime;
  let browser: RunningChromium;
  /** Every URL the browser asked for, across the file. */
  const requested: string[] = [];
  /** Uncaught errors, and what the CSP or Trusted Types refused (4xx answers log errors too). */
  const pageErrors: string[] = [];
  const ids = { unknown: '', placed: '', scheduled: '', raced: '', skipped: '' };

  const accept = async (route: string, phone: string, key: string) => {
    const answer = await postHook(
      rt.bridgeUrl,
      route,
      { phone },
      { headers: { 'idempotency-key': key } },
    );
    return String(answer.body.call_id);
  };

  beforeAll(async () => {
    rt = await startTestRuntime({ config: await consoleDemoConfig(), sweepIntervalMs: 0 });
    // The provider takes the first call and its answer is lost: `unknown`, never redialled.
    rt.simulator.injectFault({
      fault: { mode: 'drop_after' },
      method: 'start.simple_call',
      times: 1,
    });
    ids.unknown = await accept('callback', '+79260000101', 'lost-answer');
    await waitForStatus(rt.bridgeUrl, ids.unknown, 'unknown');
    ids.placed = await accept('callback', '+79260000102', 'placed');
    await waitForStatus(rt.bridgeUrl, ids.placed, 'placed');
    ids.scheduled = await accept(LATER_ROUTE, '+79260000103', 'later');
    ids.raced = await accept(LATER_ROUTE, '+79260000104', 'later-raced');
    // Not a phone: refused with 422, and kept as a skipped event with its reason.
    const refused = await postHook(
      rt.bridgeUrl,
      'callback',
      { phone: 'call me maybe' },
      { headers: { 'idempotency-key': 'no-phone' } },
    );
    expect(refused).toMatchObject({ status: 422, body: { code: 'invalid_phone' } });
    const [skipped] = (await rt.store.list({ statuses: ['skipped'], limit: 10 })).records;
    ids.skipped = String(skipped?.call_id);
    browser = await launchChromium();
    browser.context.setDefaultTimeout(15_000);
    browser.context.on('request', (request) => requested.push(request.url()));
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

  /** A new tab (its own sessionStorage), signed in by keyboard alone, on `hash`. */
  const signedIn = async (hash = '#/calls'): Promise<Page> => {
    const page = await browser.context.newPage();
    await page.goto(`${rt.bridgeUrl}/console${hash}`);
    await heading(page, 'Sign in').waitFor();
    // The heading holds the focus; the key field is the next stop.
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN_KEY);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    return page;
  };

  it('serves the page, its script and its style with a strict CSP and their content types', async () => {
    const page = await browser.context.newPage();
    const assets: Record<string, Record<string, string>> = {};
    page.on('response', (response) => {
      assets[new URL(response.url()).pathname] = response.headers();
    });
    const response = await page.goto(`${rt.bridgeUrl}/console`);
    await heading(page, 'Sign in').waitFor();

    const headers = response?.headers() ?? {};
    const csp = (headers['content-security-policy'] ?? '').split(/;\s*/);
    expect(csp).toEqual(
      expect.arrayContaining([
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ]),
    );
    expect(csp.join(';')).not.toMatch(/unsafe-|\*|https?:/);
    expect(headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
    expect(assets['/console/console.js']?.['content-type']).toBe('text/javascript; charset=utf-8');
    expect(assets['/console/console.css']?.['content-type']).toBe('text/css; charset=utf-8');
    expect(assets['/console/console.js']?.['x-content-type-options']).toBe('nosniff');
    // The browser enforces it: no string becomes markup, no inline script runs.
    await expect(page.evaluate("document.body.innerHTML = '<b>markup</b>'")).rejects.toThrow(
      /TrustedHTML/,
    );
    await expect(
      page.evaluate(
        "document.body.append(Object.assign(document.createElement('script'), { textContent: '1' }))",
      ),
    ).rejects.toThrow(/TrustedScript/);
    await page.close();
  });

  it('refuses a wrong admin key with a message, and shows the calls for the right one', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${rt.bridgeUrl}/console`);
    const key = page.getByLabel('Admin key');
    await key.fill('not-the-key');
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('alert').filter({ hasText: 'That admin key was refused' }).waitFor();
    expect(await heading(page, 'Sign in').isVisible()).toBe(true);

    await key.fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading(page, 'Calls').waitFor();
    expect(await rowIds(page)).toEqual([
      ids.skipped,
      ids.raced,
      ids.scheduled,
      ids.placed,
      ids.unknown,
    ]);
    // The new view's heading has the focus.
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Calls');
    await page.close();
  });

  it('filters the calls by status, the filter in the address', async () => {
    const page = await signedIn();
    await heading(page, 'Calls').waitFor();
    await page.getByRole('checkbox', { name: 'unknown' }).check();
    await page.getByRole('checkbox', { name: 'scheduled' }).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();

    await page.waitForURL(/#\/calls\?status=scheduled%2Cunknown$/);
    await page.locator('table.calls tbody tr').first().waitFor();
    await page.locator('.summary', { hasText: '3 calls shown' }).waitFor();
    expect(await rowIds(page)).toEqual([ids.raced, ids.scheduled, ids.unknown]);
    await page.close();
  });

  it('lists the skipped events with their reasons', async () => {
    const page = await signedIn();
    await page.getByRole('link', { name: 'Skipped events' }).click();

    await heading(page, 'Skipped events').waitFor();
    const row = page.locator(`tr[data-call-id="${ids.skipped}"]`);
    await row.waitFor();
    expect(await rowIds(page)).toEqual([ids.skipped]);
    expect(await row.locator('td.reason').textContent()).toMatch(/^invalid_phone: .+/);
    await page.close();
  });

  it('opens a call from the table: status, masked contact, reason and timeline', async () => {
    const page = await signedIn();
    await page.getByRole('link', { name: ids.placed }).click();

    await heading(page, `Call ${ids.placed}`).waitFor();
    expect(page.url()).toBe(`${rt.bridgeUrl}/console#/calls/${ids.placed}`);
    expect(await field(page, 'status').textContent()).toBe('placed');
    expect(await field(page, 'route').textContent()).toBe('callback');
    expect(await field(page, 'contact').textContent()).toBe('*******0102');
    expect(await field(page, 'attempt').textContent()).toBe('1');
    expect(await field(page, 'attempts').textContent()).toBe('1');
    expect(await field(page, 'reason').textContent()).toBe('—');
    // Its one attempt, placed under the call id, with the provider's session.
    const placed = (await getCall(rt.bridgeUrl, ids.placed)).body as {
      call_session_id: number;
    };
    const attempt = page.locator('table.attempts tbody tr');
    expect(await attempt.count()).toBe(1);
    expect(await attempt.locator('th, td').allTextContents()).toEqual([
      '1 (current)',
      'the event',
      ids.placed,
      String(placed.call_session_id),
      '—',
      '—',
      '—',
      '—',
      '',
    ]);
    expect(await attempt.getAttribute('aria-current')).toBe('true');
    const timeline = page.locator('table.timeline tbody tr');
    expect(await timeline.allTextContents()).toEqual([
      expect.stringContaining('queued'),
      expect.stringContaining('dialing'),
      expect.stringContaining('placed'),
    ]);
    // A placed call can be hung up, not retried.
    expect(await page.getByRole('button', { name: 'Retry…' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Cancel…' }).count()).toBe(1);
    await page.close();
  });

  it('retries an unknown call after a confirmation, and follows it to placed', async () => {
    const page = await signedIn(`#/calls/${ids.unknown}`);
    await heading(page, `Call ${ids.unknown}`).waitFor();
    const before = (await getCall(rt.bridgeUrl, ids.unknown)).body.error as Record<string, string>;
    expect(await field(page, 'status').textContent()).toBe('unknown');
    expect(await field(page, 'reason').textContent()).toContain(
      `${before.reason}: ${before.message}`,
    );

    await page.getByRole('button', { name: 'Retry…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Retry this call?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Retry the call' }).click();

    await page
      .getByRole('status')
      .filter({ hasText: 'Retry accepted: the call is now queued.' })
      .waitFor();
    await field(page, 'status')
      .filter({ hasText: /^placed$/ })
      .waitFor();
    // The retry is a new attempt, placed under its own external id.
    expect(rt.simulator.calls().map((call) => call.params.external_id)).toEqual(
      expect.arrayContaining([ids.unknown, `${ids.unknown}-2`]),
    );
    expect((await getCall(rt.bridgeUrl, ids.unknown)).body.status).toBe('placed');
    expect(await field(page, 'attempt').textContent()).toBe('2');
    const attempts = page.locator('table.attempts tbody tr');
    await attempts.nth(1).waitFor();
    expect(await attempts.nth(0).locator('th, td').allTextContents()).toEqual(
      expect.arrayContaining(['1', 'the event', ids.unknown]),
    );
    expect(await attempts.nth(0).textContent()).toContain('went unknown');
    expect(await attempts.nth(1).locator('th, td').allTextContents()).toEqual(
      expect.arrayContaining(['2 (current)', 'operator’s retry', `${ids.unknown}-2`]),
    );
    await page.close();
  });

  it('cancels a scheduled call after a confirmation; Escape keeps it', async () => {
    const page = await signedIn(`#/calls/${ids.scheduled}`);
    await heading(page, `Call ${ids.scheduled}`).waitFor();
    expect(await field(page, 'status').textContent()).toBe('scheduled');
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(new URL(request.url()).pathname);
    });

    await page.getByRole('button', { name: 'Cancel…' }).click();
    await page.getByRole('dialog', { name: 'Cancel this call?' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(posts).toEqual([]);

    await page.getByRole('button', { name: 'Cancel…' }).click();
    await page.getByRole('button', { name: 'Cancel the call' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Cancel accepted: the call is now cancelled.' })
      .waitFor();
    await field(page, 'status')
      .filter({ hasText: /^cancelled$/ })
      .waitFor();

    expect(posts).toEqual([`/calls/${ids.scheduled}/cancel`]);
    expect((await getCall(rt.bridgeUrl, ids.scheduled)).body.status).toBe('cancelled');
    await page.close();
  });

  it('shows the API’s refusal when the call changed behind the page', async () => {
    const page = await signedIn(`#/calls/${ids.raced}`);
    await heading(page, `Call ${ids.raced}`).waitFor();
    expect((await postCallAction(rt.bridgeUrl, ids.raced, 'cancel')).status).toBe(200);

    await page.getByRole('button', { name: 'Cancel…' }).click();
    await page.getByRole('button', { name: 'Cancel the call' }).click();

    await page
      .getByRole('alert')
      .filter({ hasText: `Call cannot be cancelled: Call ${ids.raced} is cancelled` })
      .waitFor();
    await field(page, 'status')
      .filter({ hasText: /^cancelled$/ })
      .waitFor();
    await page.close();
  });

  it('refreshes the list live and announces new calls', async () => {
    const page = await signedIn();
    await heading(page, 'Calls').waitFor();
    await page.getByLabel(/Live refresh/).check();
    const fresh = await accept('callback', '+79260000105', 'live');

    await page.locator(`tr[data-call-id="${fresh}"]`).waitFor();
    await page.locator('#announcer', { hasText: /1 new call/ }).waitFor({ state: 'attached' });
    expect((await rowIds(page))[0]).toBe(fresh);
    await page.close();
  });

  it('shows each route’s figures of the last 24 hours', async () => {
    const page = await signedIn();
    await page.getByRole('link', { name: 'Figures' }).click();
    await heading(page, 'Figures of the last 24 hours').waitFor();

    const cells = (route: string) =>
      page
        .locator('table.figures tbody tr')
        .filter({ has: page.getByRole('rowheader', { name: route, exact: true }) })
        .locator('td');
    const row = (route: string) => cells(route).allTextContents();
    // Its two calls waited as scheduled, then were cancelled: accepted, never placed.
    expect(await row(LATER_ROUTE)).toEqual(['2', '0', '0', '0', '0', '0', '—', '—']);
    // A configured route without a call still has its row.
    expect(await row('order-confirmation')).toEqual(['0', '0', '0', '0', '0', '0', '—', '—']);
    // Its one skipped event links to the list of them.
    const skipped = cells('callback').nth(5);
    expect(await skipped.textContent()).toBe('1');
    await skipped.getByRole('link').click();
    await heading(page, 'Skipped events').waitFor();
    await page.close();
  });

  it('returns to the sign-in form with a message when the key is refused mid-session', async () => {
    const page = await signedIn();
    await heading(page, 'Calls').waitFor();
    // As if the admin key had been rotated since this tab signed in.
    await page.evaluate("sessionStorage.setItem('callhook.admin-key', 'rotated-away')");
    await page.getByRole('link', { name: 'Figures' }).click();

    await heading(page, 'Sign in').waitFor();
    await page.getByText('The API refused the admin key: sign in again.').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.close();
  });

  it('signs out: the key leaves the tab', async () => {
    const page = await signedIn();
    expect(await page.evaluate('sessionStorage.length')).toBe(1);
    await page.getByRole('button', { name: 'Sign out' }).click();

    await heading(page, 'Sign in').waitFor();
    await page.getByText('You are signed out.').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.close();
  });

  it('keeps the key out of every URL, localStorage and cookies, and never leaves the origin', async () => {
    const page = await signedIn('#/figures');
    await heading(page, 'Figures of the last 24 hours').waitFor();

    expect(page.url()).not.toContain(ADMIN_KEY);
    expect(await page.evaluate('localStorage.length')).toBe(0);
    expect(await page.evaluate('document.cookie')).toBe('');
    expect((await browser.context.cookies()).length).toBe(0);
    expect(requested.length).toBeGreaterThan(20);
    expect(requested.filter((url) => !url.startsWith(`${rt.bridgeUrl}/`))).toEqual([]);
    expect(requested.filter((url) => url.includes(ADMIN_KEY))).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
