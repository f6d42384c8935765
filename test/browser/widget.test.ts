import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CaptchaStandIn,
  STAND_IN_SECRET,
  startCaptchaStandIn,
} from '../support/captcha-stand-in.ts';
import { chromiumForSuite, launchChromium, type RunningChromium } from '../support/chromium.ts';
import { demoConfig } from '../support/configs.ts';
import { formRoute } from '../support/form-posts.ts';
import { freshPhones, waitForStatus } from '../support/http.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/*
 * The "call me back" widget in Chromium, on a shop's page served from one local origin while
 * callhook (the local runtime) answers on another, with a CAPTCHA stand-in as the provider: the
 * page holds one <script> tag and no secret; its strict CSP allows callhook's and the
 * provider's origins and no inline code. A third origin plays a site that is not the shop's.
 */

const chromium = chromiumForSuite('widget');
const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

interface Site {
  origin: string;
  close(): Promise<void>;
}

/** A shop's page: the widget's tag for `?route=` (and `&lang=`), under a strict CSP. */
const startShop = async (page: (url: URL) => { html: string; csp: string }): Promise<Site> => {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/') {
      res.writeHead(404);
      res.end();
      return;
    }
    const { html, csp } = page(url);
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': csp,
    });
    res.end(html);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
};

describe.skipIf(!chromium)('The call-back widget, in Chromium', () => {
  let rt: TestRuntime;
  let captcha: CaptchaStandIn;
  let shop: Site;
  let elsewhere: Site;
  let browser: RunningChromium;
  const phone = freshPhones('777');
  let browserApiUrl = '';
  const pageErrors: string[] = [];
  const requested: string[] = [];

  beforeAll(async () => {
    captcha = await startCaptchaStandIn();
    let bridgeUrl = '';
    // `?api=browser`: the widget from the browser API, served under its stage's path.
    const page = (url: URL) => {
      const api = url.searchParams.get('api') === 'browser' ? browserApiUrl : bridgeUrl;
      const apiOrigin = new URL(api).origin;
      return {
        html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title></head><body><main><h1>Our shop</h1><script src="${api}/widget/callhook-widget.js" data-route="${url.searchParams.get('route') ?? ''}"${url.searchParams.has('lang') ? ` data-lang="${url.searchParams.get('lang')}"` : ''} data-consent-url="/privacy" async></script></main></body></html>`,
        csp: [
          "default-src 'none'",
          `script-src ${apiOrigin} ${captcha.url}`,
          `style-src ${apiOrigin}`,
          `connect-src ${apiOrigin} ${captcha.url}`,
        ].join('; '),
      };
    };
    shop = await startShop(page);
    elsewhere = await startShop(page);
    const moscowTomorrow = DateTime.now().setZone('Europe/Moscow').plus({ days: 1 });
    const hoursOnlyTomorrow = {
      time_zone: 'Europe/Moscow',
      days: [WEEKDAYS[moscowTomorrow.weekday - 1]],
      from: '09:00',
      to: '18:00',
    };
    const base = { origins: [shop.origin], scriptUrl: captcha.scriptUrl('turnstile') };
    const wide = { per_ip: { max: 100, minutes: 60 }, per_number: { max: 5, minutes: 60 } };
    rt = await startTestRuntime({
      config: demoConfig({
        callback: formRoute(captcha.verifyUrl('turnstile'), {
          ...base,
          limits: wide,
          consent: { required: true, text_version: 'privacy-2025-03' },
        }),
        closed: formRoute(captcha.verifyUrl('turnstile'), {
          ...base,
          limits: wide,
          extra: { calling_hours: hoursOnlyTomorrow },
        }),
        'per-ip': formRoute(captcha.verifyUrl('turnstile'), {
          ...base,
          limits: { per_ip: { max: 2, minutes: 60 }, per_number: { max: 5, minutes: 60 } },
        }),
        'per-number': formRoute(captcha.verifyUrl('turnstile'), {
          ...base,
          limits: { per_ip: { max: 100, minutes: 60 }, per_number: { max: 1, minutes: 60 } },
        }),
        guarded: formRoute(captcha.verifyUrl('turnstile'), { ...base, limits: wide }),
      }),
      secrets: { 'shop/captcha': STAND_IN_SECRET },
      // Beside the HTTP API, as with `-c callhook:waf=true` but without refusing it there.
      browserApi: { guarded: false },
    });
    bridgeUrl = rt.bridgeUrl;
    browserApiUrl = rt.browserApiUrl ?? '';
    browser = await launchChromium();
    browser.context.setDefaultTimeout(15_000);
    browser.context.on('request', (request) => requested.push(new URL(request.url()).origin));
    browser.context.on('page', (opened) => {
      opened.on('pageerror', (error) => pageErrors.push(error.message));
      opened.on('console', (message) => {
        if (/Content Security Policy|eval/i.test(message.text())) pageErrors.push(message.text());
      });
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await rt?.stop();
    await shop?.close();
    await elsewhere?.close();
    await captcha?.close();
  });

  const open = async (route: string, site = shop, lang = 'en'): Promise<Page> => {
    const page = await browser.context.newPage();
    await page.goto(`${site.origin}/?route=${route}&lang=${lang}`);
    return page;
  };
  const status = (page: Page) => page.locator('.callhook-status');
  /** Fills and sends the form with the mouse-free path a keyboard user takes. */
  const submitByKeyboard = async (page: Page, number: string, consent: boolean) => {
    await page.getByLabel('Your phone number').waitFor();
    await page.keyboard.press('Tab');
    await expect
      .poll(() => page.evaluate<string>("document.activeElement?.id ?? ''"))
      .toMatch(/phone$/);
    await page.keyboard.type(number);
    if (consent) {
      await page.keyboard.press('Tab');
      await page.keyboard.press('Space');
      // The link to the terms comes next.
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Verified' }).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
  };
  /** Solves the CAPTCHA, types the number and clicks send; the answer to the post is returned. */
  const submit = async (page: Page, number: string, route: string) => {
    await page.getByLabel('Your phone number').fill(number);
    await page.getByRole('button', { name: 'I am not a robot' }).click();
    await page.getByRole('button', { name: 'Verified' }).waitFor();
    const answer = page.waitForResponse(
      (response) =>
        response.url().endsWith(`/hooks/${route}`) && response.request().method() === 'POST',
    );
    await page.getByRole('button', { name: 'Call me back' }).click();
    return answer;
  };

  it('places a call from a form used by keyboard alone, with consent kept, and says so', async () => {
    const page = await open('callback');
    await expect
      .poll(() => page.locator('.callhook-hours').textContent())
      .toBe('We are open: we will call you at once.');
    const number = phone();
    const posted = page.waitForResponse((response) => response.url().endsWith('/hooks/callback'));
    await submitByKeyboard(page, number, true);
    const answer = await posted;
    expect(answer.status()).toBe(202);
    await expect.poll(() => status(page).textContent()).toBe('Thank you! We are calling you now.');
    const callId = String(((await answer.json()) as Record<string, unknown>).call_id);
    await waitForStatus(rt.bridgeUrl, callId, 'placed');
    expect(rt.simulator.calls().at(-1)?.params).toMatchObject({ first_call: 'operator' });
    expect((await rt.store.get(callId))?.consent).toMatchObject({
      given: true,
      text_version: 'privacy-2025-03',
    });
    // Only the shop, callhook and the CAPTCHA provider were asked for anything.
    expect(new Set(requested)).toEqual(new Set([shop.origin, rt.bridgeUrl, captcha.url]));
    expect(pageErrors).toEqual([]);
  });

  it('has no serious accessibility violation (axe-core), and fits 390 px, in both languages', async () => {
    for (const lang of ['en', 'ru']) {
      const page = await open('callback', shop, lang);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.locator('.callhook-widget form').waitFor();
      await page.getByRole('button', { name: /robot/ }).waitFor();
      // axe is the test's, not the page's: run past the page's CSP, as devtools would.
      await page.evaluate(AXE_SOURCE);
      const violations = await page.evaluate<{ id: string; impact: string | null }[]>(
        "axe.run(document.querySelector('.callhook-widget')).then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact })))",
      );
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual(
        [],
      );
      expect(
        await page.evaluate<number>('document.documentElement.scrollWidth'),
      ).toBeLessThanOrEqual(390);
      await page.close();
    }
  });

  it('is refused on a third origin: no settings, no post, no call', async () => {
    const before = await rt.storedCalls();
    const page = await open('callback', elsewhere);
    await expect
      .poll(() => status(page).textContent())
      .toBe('The call-back form is unavailable right now.');
    const sent = await page.evaluate(async (url) => {
      try {
        await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            request_id: 'third-origin-1',
            phone: '+79267770999',
            consent: true,
            captcha_token: 'x',
          }),
        });
        return 'sent';
      } catch {
        return 'refused';
      }
    }, `${rt.bridgeUrl}/hooks/callback`);
    expect(sent).toBe('refused');
    expect(await rt.storedCalls()).toBe(before);
  });

  it('refuses a missing, wrong or replayed CAPTCHA token, in words', async () => {
    const before = await rt.storedCalls();
    const page = await open('callback');
    await page.getByLabel('Your phone number').fill(phone());
    await page.getByLabel(/I agree/).check();
    await page.getByRole('button', { name: 'Call me back' }).click();
    await expect
      .poll(() => status(page).textContent())
      .toBe('Please confirm that you are not a robot.');

    const used = captcha.issue(new URL(shop.origin).host);
    const first = await fetch(`${rt.bridgeUrl}/hooks/callback`, {
      method: 'POST',
      headers: { origin: shop.origin, 'content-type': 'application/json' },
      body: JSON.stringify({
        request_id: 'replay-first',
        phone: phone(),
        consent: true,
        captcha_token: used,
      }),
    });
    expect(first.status).toBe(202);
    for (const token of ['tok_wrong', used]) {
      // The page's own token is swapped on its way out for the wrong or spent one.
      await page.route(`${rt.bridgeUrl}/hooks/callback`, (route) =>
        route.continue({
          postData: JSON.stringify({
            ...JSON.parse(route.request().postData() ?? '{}'),
            captcha_token: token,
          }),
        }),
      );
      const answer = await submit(page, phone(), 'callback');
      expect(answer.status()).toBe(403);
      await expect
        .poll(() => status(page).textContent())
        .toBe('The check did not pass. Please do it again.');
      await page.unroute(`${rt.bridgeUrl}/hooks/callback`);
    }
    expect(await rt.storedCalls()).toBe(before + 1);
  });

  it('makes one call of a double submit and of a reload', async () => {
    const before = await rt.storedCalls();
    const number = phone();
    const page = await open('closed');
    await page.getByLabel('Your phone number').fill(number);
    await page.getByRole('button', { name: 'I am not a robot' }).click();
    await page.getByRole('button', { name: 'Verified' }).waitFor();
    const posts: number[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith('/hooks/closed')) posts.push(response.status());
    });
    await page.getByRole('button', { name: 'Call me back' }).dblclick();
    await expect.poll(() => status(page).textContent()).toMatch(/^Thank you!/);
    await page.reload();
    const again = await submit(page, number, 'closed');
    expect(again.status()).toBe(200);
    expect(((await again.json()) as Record<string, unknown>).duplicate).toBe(true);
    expect(posts).toEqual([202, 200]);
    expect(await rt.storedCalls()).toBe(before + 1);
  });

  it('says when a closed route will call, in the route’s language by default', async () => {
    const english = await open('closed');
    await expect
      .poll(() => english.locator('.callhook-hours').textContent())
      .toBe('We are closed; we will call you at 09:00 tomorrow.');
    const answer = await submit(english, phone(), 'closed');
    expect(((await answer.json()) as Record<string, unknown>).status).toBe('scheduled');
    await expect
      .poll(() => status(english).textContent())
      .toBe('Thank you! We are closed; we will call you at 09:00 tomorrow.');
    const russian = await browser.context.newPage();
    await russian.goto(`${shop.origin}/?route=closed`);
    await expect
      .poll(() => russian.locator('.callhook-hours').textContent())
      .toBe('Сейчас мы закрыты; мы позвоним вам завтра в 09:00.');
  });

  it('answers 429 with Retry-After past the limits per address and per number, and says so', async () => {
    const page = await open('per-ip');
    for (let n = 0; n < 2; n += 1) {
      expect((await submit(page, phone(), 'per-ip')).status()).toBe(202);
      await page.reload();
    }
    const overIp = await submit(page, phone(), 'per-ip');
    expect(overIp.status()).toBe(429);
    expect(Number(await overIp.headerValue('retry-after'))).toBeGreaterThan(3500);
    await expect
      .poll(() => status(page).textContent())
      .toBe('Too many requests. Please try again in 60 minutes.');

    const number = phone();
    const numbered = await open('per-number');
    expect((await submit(numbered, number, 'per-number')).status()).toBe(202);
    // Another form for the same number: a new tab has its own request ids.
    const another = await open('per-number');
    const overNumber = await submit(another, number, 'per-number');
    expect(overNumber.status()).toBe(429);
    expect(Number(await overNumber.headerValue('retry-after'))).toBeGreaterThan(3500);
    await expect
      .poll(() => status(another).textContent())
      .toBe('Too many requests. Please try again in 60 minutes.');
  });

  it('loads from and posts to an API served under a path, as the WAF-guarded browser API is', async () => {
    const page = await browser.context.newPage();
    const stylesheet = page.waitForResponse(
      (response) => response.url() === `${browserApiUrl}/widget/callhook-widget.css`,
    );
    await page.goto(`${shop.origin}/?route=guarded&lang=en&api=browser`);
    expect((await stylesheet).status()).toBe(200);
    const answer = await submit(page, phone(), 'guarded');
    expect(answer.url()).toBe(`${browserApiUrl}/hooks/guarded`);
    expect(answer.status()).toBe(202);
    await expect.poll(() => status(page).textContent()).toBe('Thank you! We are calling you now.');
    expect(pageErrors).toEqual([]);
  });
});
