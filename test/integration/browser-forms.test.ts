import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CaptchaStandIn,
  STAND_IN_SECRET,
  startCaptchaStandIn,
} from '../support/captcha-stand-in.ts';
import { demoConfig } from '../support/configs.ts';
import { formBody, formRoute, sendForm } from '../support/form-posts.ts';
import { freshPhones, getCall, waitForStatus } from '../support/http.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/*
 * Browser forms over HTTP against the local runtime and a CAPTCHA stand-in that speaks each
 * provider's verify format: the origin, the preflight, the CAPTCHA (missing, wrong, replayed,
 * solved elsewhere, provider down), consent, the windows per address and per number, and one
 * call per form however often it is sent.
 */

const SHOP = 'http://shop.test';
const OTHER = 'http://elsewhere.test';

describe('A browser route', () => {
  let rt: TestRuntime;
  let captcha: CaptchaStandIn;
  const phone = freshPhones('555');

  beforeAll(async () => {
    captcha = await startCaptchaStandIn();
    const wide = { per_ip: { max: 100, minutes: 60 }, per_number: { max: 5, minutes: 60 } };
    rt = await startTestRuntime({
      config: demoConfig({
        form: formRoute(captcha.verifyUrl('turnstile'), { limits: wide }),
        'form-hcaptcha': formRoute(captcha.verifyUrl('hcaptcha'), {
          provider: 'hcaptcha',
          limits: wide,
        }),
        'form-yandex': formRoute(captcha.verifyUrl('yandex-smartcaptcha'), {
          provider: 'yandex-smartcaptcha',
          limits: wide,
        }),
        'form-consent': formRoute(captcha.verifyUrl('turnstile'), {
          limits: wide,
          consent: { required: true, text_version: '2025-03' },
        }),
        'form-ip': formRoute(captcha.verifyUrl('turnstile'), {
          limits: { per_ip: { max: 3, minutes: 60 }, per_number: { max: 50, minutes: 60 } },
        }),
        'form-number': formRoute(captcha.verifyUrl('turnstile'), {
          limits: { per_ip: { max: 100, minutes: 60 }, per_number: { max: 2, minutes: 60 } },
        }),
        'form-down': formRoute(captcha.verifyUrl('hcaptcha'), {
          provider: 'hcaptcha',
          limits: wide,
        }),
      }),
      secrets: { 'shop/captcha': STAND_IN_SECRET },
    });
  }, 30_000);
  afterAll(async () => {
    await rt?.stop();
    await captcha?.close();
  });

  const token = (host = 'shop.test') => captcha.issue(host);
  const post = (
    route: string,
    body: unknown,
    headers: Record<string, string> = {},
    from?: string,
  ) =>
    sendForm(rt.bridgeUrl, route, {
      body,
      headers: { origin: SHOP, ...headers },
      ...(from !== undefined && { localAddress: from }),
    });

  it('places a call for a form from its site, operator first, and lets the page read the answer', async () => {
    const answer = await post('form', formBody(phone(), token()));
    expect(answer.status).toBe(202);
    expect(answer.headers['access-control-allow-origin']).toBe(SHOP);
    expect(answer.headers.vary).toBe('Origin');
    const callId = String(answer.body.call_id);
    await waitForStatus(rt.bridgeUrl, callId, 'placed');
    const [placed] = rt.simulator.calls().slice(-1);
    expect(placed?.params).toMatchObject({ first_call: 'operator', operator: '74951234567' });
  });

  it('answers the preflight for its sites only, and refuses other origins with no CORS headers', async () => {
    const preflight = (origin: string) =>
      sendForm(rt.bridgeUrl, 'form', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    const ours = await preflight(SHOP);
    expect(ours.status).toBe(204);
    expect(ours.headers).toMatchObject({
      'access-control-allow-origin': SHOP,
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'Content-Type',
    });
    const theirs = await preflight(OTHER);
    expect(theirs.status).toBe(403);
    expect(theirs.body.code).toBe('origin_not_allowed');
    expect(theirs.headers['access-control-allow-origin']).toBeUndefined();

    const before = await rt.storedCalls();
    const posted = await post('form', formBody(phone(), token()), { origin: OTHER });
    expect(posted.status).toBe(403);
    expect(posted.headers['content-type']).toBe('application/problem+json');
    expect(posted.headers['access-control-allow-origin']).toBeUndefined();
    const noOrigin = await sendForm(rt.bridgeUrl, 'form', { body: formBody(phone(), token()) });
    expect(noOrigin.body.code).toBe('origin_not_allowed');
    expect(await rt.storedCalls()).toBe(before);
  });

  it('refuses a missing, wrong, replayed or elsewhere-solved CAPTCHA with each provider, storing nothing', async () => {
    const before = await rt.storedCalls();
    for (const route of ['form', 'form-hcaptcha', 'form-yandex']) {
      expect((await post(route, formBody(phone(), undefined))).body.code).toBe('captcha_failed');
      expect((await post(route, formBody(phone(), 'tok_made_up'))).body.code).toBe(
        'captcha_failed',
      );
      const once = token();
      expect((await post(route, formBody(phone(), once))).status).toBe(202);
      const replay = await post(route, formBody(phone(), once));
      expect(replay).toMatchObject({ status: 403, body: { code: 'captcha_failed' } });
      expect(replay.headers['access-control-allow-origin']).toBe(SHOP);
      // A token solved on another site that uses the same site key.
      const foreign = await post(route, formBody(phone(), token('elsewhere.test')));
      expect(foreign.body).toMatchObject({
        code: 'captcha_failed',
        detail: expect.stringMatching(/another site/),
      });
    }
    expect(await rt.storedCalls()).toBe(before + 3);
  });

  it('fails closed when the provider is down: 503 with Retry-After, never a call', async () => {
    const before = await rt.storedCalls();
    captcha.fault = 'down';
    try {
      const answer = await post('form-down', formBody(phone(), token()));
      expect(answer.status).toBe(503);
      expect(answer.body.code).toBe('captcha_unavailable');
      expect(answer.headers['retry-after']).toBe('30');
    } finally {
      captcha.fault = 'none';
    }
    expect(await rt.storedCalls()).toBe(before);
  });

  it('is one call for one form, however often it is sent; another number under its id is another call', async () => {
    const number = phone();
    const body = formBody(number, token());
    const [first, second] = await Promise.all([post('form', body), post('form', body)]);
    // The same token twice: the provider passes it once.
    expect([first?.status, second?.status].sort()).toEqual([202, 403]);
    const reload = await post('form', { ...body, captcha_token: token() });
    expect(reload.status).toBe(200);
    expect(reload.body).toMatchObject({ duplicate: true });
    const callId = [first, second].find((answer) => answer?.status === 202)?.body.call_id;
    expect(reload.body.call_id).toBe(callId);
    const hijack = await post('form', { ...body, phone: phone(), captcha_token: token() });
    expect(hijack.status).toBe(202);
    expect(hijack.body.call_id).not.toBe(callId);
    // An Idempotency-Key header names nothing on a browser route.
    const header = await post('form', formBody(phone(), token()), {
      'idempotency-key': String(body.request_id),
    });
    expect(header.body.call_id).not.toBe(callId);
  });

  it('keeps the consent on the call, and refuses a form without it where the route requires it', async () => {
    const refused = await post('form-consent', formBody(phone(), token()));
    expect(refused).toMatchObject({ status: 422, body: { code: 'consent_required' } });
    const given = await post('form-consent', formBody(phone(), token(), { consent: true }));
    expect(given.status).toBe(202);
    const stored = await rt.store.get(String(given.body.call_id));
    expect(stored?.consent).toEqual({
      given: true,
      at: expect.any(String),
      text_version: '2025-03',
    });
    expect((await getCall(rt.bridgeUrl, String(given.body.call_id))).status).toBe(200);
  });

  it('limits one client address, whatever X-Forwarded-For says, and not another address', async () => {
    const spoof = (n: number) => ({ 'x-forwarded-for': `203.0.113.${n}` });
    for (let n = 1; n <= 3; n += 1) {
      expect((await post('form-ip', formBody(phone(), token()), spoof(n))).status).toBe(202);
    }
    const over = await post('form-ip', formBody(phone(), token()), spoof(9));
    expect(over.status).toBe(429);
    expect(over.body.code).toBe('rate_limited');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(3500);
    expect(over.headers['access-control-allow-origin']).toBe(SHOP);
    // Refused before its CAPTCHA is checked: the token is still good from another address.
    const other = await post('form-ip', formBody(phone(), token()), {}, '127.0.0.2');
    expect(other.status).toBe(202);
  });

  it('limits one number across addresses, with Retry-After', async () => {
    const number = phone();
    expect((await post('form-number', formBody(number, token()), {}, '127.0.0.3')).status).toBe(
      202,
    );
    expect((await post('form-number', formBody(number, token()), {}, '127.0.0.4')).status).toBe(
      202,
    );
    const over = await post(
      'form-number',
      formBody(number.replace('+7', '8'), token()),
      {},
      '127.0.0.5',
    );
    expect(over.status).toBe(429);
    expect(over.body.code).toBe('rate_limited');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(3500);
  });
});

/*
 * The browser routes as a deployment with `-c callhook:waf=true` serves them: through the browser
 * API (a REST API's events, under its stage's path, the local stand-in of what AWS WAF guards)
 * and nowhere else. The web ACL's own rules are AWS's, held by the stack test.
 */
describe('A browser route behind the WAF-guarded browser API', () => {
  let rt: TestRuntime;
  let captcha: CaptchaStandIn;
  let browserApi: string;
  const phone = freshPhones('556');

  beforeAll(async () => {
    captcha = await startCaptchaStandIn();
    rt = await startTestRuntime({
      config: demoConfig({
        form: formRoute(captcha.verifyUrl('turnstile'), {
          limits: { per_ip: { max: 2, minutes: 60 }, per_number: { max: 5, minutes: 60 } },
        }),
        signed: { preset: 'generic', auth: { secret: 'demo/hook-token' } },
      }),
      secrets: { 'shop/captcha': STAND_IN_SECRET },
      browserApi: { guarded: true },
    });
    browserApi = rt.browserApiUrl ?? '';
  }, 30_000);
  afterAll(async () => {
    await rt?.stop();
    await captcha?.close();
  });

  const post = (base: string, route: string, headers: Record<string, string> = {}, from?: string) =>
    sendForm(base, route, {
      body: formBody(phone(), captcha.issue('shop.test')),
      headers: { origin: SHOP, ...headers },
      ...(from !== undefined && { localAddress: from }),
    });

  it('answers the preflight, the form and its settings under the stage, and places the call', async () => {
    expect(browserApi).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/forms$/);
    const preflight = await sendForm(browserApi, 'form', {
      method: 'OPTIONS',
      headers: { origin: SHOP, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(SHOP);
    const answer = await post(browserApi, 'form');
    expect(answer.status).toBe(202);
    expect(answer.headers['access-control-allow-origin']).toBe(SHOP);
    await waitForStatus(rt.bridgeUrl, String(answer.body.call_id), 'placed');
    const settings = await fetch(`${browserApi}/hooks/form/form`, { headers: { origin: SHOP } });
    expect(settings.status).toBe(200);
    expect(await settings.json()).toMatchObject({ captcha: { site_key: 'stand-in-site-key' } });
    expect((await fetch(`${browserApi}/widget/callhook-widget.js`)).status).toBe(200);
  });

  it('is not reachable around it on the HTTP API, and serves no other route itself', async () => {
    const before = await rt.storedCalls();
    const around = await post(rt.bridgeUrl, 'form');
    expect(around).toMatchObject({ status: 404, body: { code: 'not_found' } });
    for (const path of ['/hooks/form/form', '/widget/callhook-widget.js']) {
      expect((await fetch(`${rt.bridgeUrl}${path}`)).status).toBe(404);
    }
    // A signed route is the HTTP API's alone: the browser API has no resource for it.
    const signed = await post(browserApi, 'signed');
    expect(signed).toMatchObject({
      status: 403,
      body: { message: 'Missing Authentication Token' },
    });
    expect(await rt.storedCalls()).toBe(before);
  });

  it('limits one address by the connection the REST API saw, whatever X-Forwarded-For says', async () => {
    const spoof = (n: number) => ({ 'x-forwarded-for': `203.0.113.${n}` });
    expect((await post(browserApi, 'form', spoof(1), '127.0.0.6')).status).toBe(202);
    expect((await post(browserApi, 'form', spoof(2), '127.0.0.6')).status).toBe(202);
    const over = await post(browserApi, 'form', spoof(3), '127.0.0.6');
    expect(over).toMatchObject({ status: 429, body: { code: 'rate_limited' } });
    expect((await post(browserApi, 'form', spoof(3), '127.0.0.7')).status).toBe(202);
  });
});
