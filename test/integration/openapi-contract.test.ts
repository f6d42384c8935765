import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { change } from '../../shared/calls/lifecycle.ts';
import { parseConfig } from '../../shared/config/load.ts';
import type { CallhookConfig } from '../../shared/config/schema.ts';
import { MAX_BODY_BYTES } from '../../shared/http/raw-request.ts';
import {
  type CaptchaStandIn,
  STAND_IN_SECRET,
  startCaptchaStandIn,
} from '../support/captcha-stand-in.ts';
import { demoConfig } from '../support/configs.ts';
import { formBody, formRoute } from '../support/form-posts.ts';
import { freshPhones, waitForStatus } from '../support/http.ts';
import { createContractChecker, operationsOf, readOpenApi } from '../support/openapi.ts';
import { startReceiver } from '../support/receiver.ts';
import {
  ADMIN_KEY,
  EVENTS_TOKEN,
  HOOK_TOKEN,
  shippedConfig,
  startTestRuntime,
  type TestRuntime,
} from '../support/runtime.ts';

const doc = readOpenApi();
const contract = createContractChecker(doc);

/** Which statuses of each operation (`METHOD /path` as the description writes it) were seen. */
const seen = new Map<string, Set<number>>();

interface Sent {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: a JSON answer, read by each test as it expects
  body: any;
}

/**
 * Sends a real request to the runtime and holds its answer to the description of `template`:
 * a status the operation does not document, another media type, a missing required header or
 * a body outside the response's schema fails the test that sent it.
 */
const send = async (
  baseUrl: string,
  method: 'GET' | 'POST' | 'OPTIONS',
  template: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Sent> => {
  const response = await fetch(`${baseUrl}${path}`, { method, ...init });
  const text = await response.text();
  const answer = { status: response.status, headers: response.headers, text };

  expect({
    sent: `${method} ${path}`,
    violations: contract.check(method, template, answer),
  }).toEqual({ sent: `${method} ${path}`, violations: [] });
  const key = `${method} ${template}`;
  seen.set(key, (seen.get(key) ?? new Set()).add(response.status));
  const isJson = /json/.test(response.headers.get('content-type') ?? '');
  return {
    status: response.status,
    headers: response.headers,
    body: isJson ? JSON.parse(text) : text,
  };
};

const admin = { authorization: `Bearer ${ADMIN_KEY}` };
const json = (body: unknown, headers: Record<string, string> = {}) => ({
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const hook = (rt: TestRuntime, route: string, init: Parameters<typeof send>[4]) =>
  send(rt.bridgeUrl, 'POST', '/hooks/{route}', `/hooks/${route}`, init);
const tokenHook = (
  rt: TestRuntime,
  route: string,
  payload: unknown,
  headers: Record<string, string> = {},
) => hook(rt, route, json(payload, { 'x-callhook-token': HOOK_TOKEN, ...headers }));
const call = (
  rt: TestRuntime,
  callId: string,
  action?: 'cancel' | 'retry' | 'abandon' | 'again',
) =>
  action === undefined
    ? send(rt.bridgeUrl, 'GET', '/calls/{call_id}', `/calls/${callId}`, { headers: admin })
    : send(rt.bridgeUrl, 'POST', `/calls/{call_id}/${action}`, `/calls/${callId}/${action}`, {
        headers: admin,
      });
const event = (rt: TestRuntime, account: string, init: Parameters<typeof send>[4], query = '') =>
  send(rt.bridgeUrl, 'POST', '/events/{account}', `/events/${account}${query}`, init);
const withToken = `?token=${EVENTS_TOKEN}`;

/** A problem answer with this status and code. */
const problem = (status: number, code: string) => ({ status, body: { status, code } });

/** The shipped config with routes that reach the other answers of POST /hooks/{route}. */
const contractConfig = async (callback?: { url: string }): Promise<CallhookConfig> => {
  const shipped = JSON.parse(JSON.stringify(await shippedConfig()));
  const base = shipped.routes.callback;
  shipped.routes['after-hours'] = {
    ...base,
    calling_hours: { time_zone: 'UTC', from: '09:00', to: '21:00' },
  };
  shipped.routes['paid-only'] = { ...base, condition: 'paid = true' };
  shipped.routes.lenient = { ...base, on_refusal: 'accept' };
  shipped.routes['numeric-key'] = { ...base, idempotency_key: '$number(order_id)' };
  if (callback !== undefined) {
    base.callback_url = callback.url;
    base.callback_secret = 'demo/callback-key';
  }
  return parseConfig(shipped, 'test');
};

/** The runtime's clock: running, from a Monday 03:00 UTC, outside the 09:00–21:00 hours. */
const EARLY_MONDAY = Date.parse('2030-01-07T03:00:00Z');

describe('The OpenAPI description holds every answer of the local runtime', () => {
  describe('with dispatch stalled (calls stay where the requests put them)', () => {
    let rt: TestRuntime;
    let clock: () => Date;
    const phone = freshPhones('710');

    beforeAll(async () => {
      const started = Date.now();
      clock = () => new Date(EARLY_MONDAY + Date.now() - started);
      rt = await startTestRuntime({
        config: await contractConfig(),
        queue: { concurrency: 0 },
        sweepIntervalMs: 0,
        now: () => clock(),
      });
    });
    afterAll(() => rt.stop());

    /** A new queued call on `callback`, and its id. */
    const queuedCall = async (): Promise<string> => {
      const accepted = await tokenHook(rt, 'callback', { phone: phone() });
      expect(accepted.status).toBe(202);
      return accepted.body.call_id;
    };

    it('POST /hooks/{route}: 202 for a new call, queued or scheduled, with its Location', async () => {
      const queued = await tokenHook(rt, 'callback', { phone: phone() });
      const scheduled = await tokenHook(rt, 'after-hours', { phone: phone() });

      expect(queued).toMatchObject({ status: 202, body: { status: 'queued', duplicate: false } });
      expect(queued.headers.get('location')).toBe(`/calls/${queued.body.call_id}`);
      expect(scheduled).toMatchObject({
        status: 202,
        body: { status: 'scheduled', due_at: '2030-01-07T09:00:00.000Z' },
      });
    });

    it('POST /hooks/{route}: 200 for a repeat, a skipped event and an ignored one', async () => {
      const payload = { phone: phone() };
      const first = await tokenHook(rt, 'callback', payload, { 'idempotency-key': 'repeat-1' });
      const repeat = await tokenHook(rt, 'callback', payload, { 'idempotency-key': 'repeat-1' });
      const skipped = await tokenHook(rt, 'lenient', { phone: '12' });
      const skippedAgain = await tokenHook(rt, 'lenient', { phone: '12' });
      const ignored = await tokenHook(rt, 'paid-only', { phone: phone(), paid: false });

      expect(first.status).toBe(202);
      expect(repeat).toMatchObject({ status: 200, body: { duplicate: true, status: 'queued' } });
      expect(skipped).toMatchObject({
        status: 200,
        body: { status: 'skipped', reason: 'invalid_phone', duplicate: false },
      });
      expect(skippedAgain).toMatchObject({ status: 200, body: { duplicate: true } });
      expect(ignored).toMatchObject({
        status: 200,
        body: { status: 'ignored', reason: 'condition_not_met' },
      });
    });

    it.each([
      {
        name: 'malformed JSON',
        init: () => ({ ...json(null, { 'x-callhook-token': HOOK_TOKEN }), body: '{"phone": "89' }),
        status: 400,
        code: 'malformed_body',
      },
      {
        name: 'an Idempotency-Key too long',
        init: () =>
          json(
            { phone: phone() },
            { 'x-callhook-token': HOOK_TOKEN, 'idempotency-key': 'k'.repeat(256) },
          ),
        status: 400,
        code: 'invalid_idempotency_key',
      },
      { name: 'no token', init: () => json({ phone: phone() }), status: 401, code: 'unauthorized' },
      {
        name: 'a wrong token',
        init: () => json({ phone: phone() }, { 'x-callhook-token': 'guess' }),
        status: 401,
        code: 'invalid_signature',
      },
      {
        name: 'a body over 256 KiB',
        init: () =>
          json(
            { phone: phone(), pad: 'x'.repeat(MAX_BODY_BYTES) },
            { 'x-callhook-token': HOOK_TOKEN },
          ),
        status: 413,
        code: 'payload_too_large',
      },
      {
        name: 'a text/plain body',
        init: () => ({
          headers: { 'content-type': 'text/plain', 'x-callhook-token': HOOK_TOKEN },
          body: 'phone=89260000000',
        }),
        status: 415,
        code: 'unsupported_media_type',
      },
      {
        name: 'a number that cannot be one',
        init: () => json({ phone: '12345' }, { 'x-callhook-token': HOOK_TOKEN }),
        status: 422,
        code: 'invalid_phone',
      },
      {
        name: "the account's own number",
        init: () => json({ phone: '+74993720692' }, { 'x-callhook-token': HOOK_TOKEN }),
        status: 422,
        code: 'own_number',
      },
      {
        name: "a payload the route's expression fails on",
        route: 'numeric-key',
        init: () => json({ phone: phone(), order_id: 'abc' }, { 'x-callhook-token': HOOK_TOKEN }),
        status: 422,
        code: 'invalid_payload',
      },
    ])('POST /hooks/{route}: $status $code for $name', async ({ route, init, status, code }) => {
      expect(await hook(rt, route ?? 'callback', init())).toMatchObject(problem(status, code));
    });

    it('POST /hooks/{route}: 404 unknown_route, 409 idempotency_conflict, 429 with Retry-After', async () => {
      const unknown = await tokenHook(rt, 'no-such-route', { phone: phone() });
      const original = await tokenHook(
        rt,
        'callback',
        { phone: phone() },
        { 'idempotency-key': 'c-1' },
      );
      const conflict = await tokenHook(
        rt,
        'callback',
        { phone: phone() },
        { 'idempotency-key': 'c-1' },
      );
      const capped = phone();
      for (const n of [1, 2, 3]) {
        const ok = await tokenHook(
          rt,
          'callback',
          { phone: capped },
          { 'idempotency-key': `cap-${n}` },
        );
        expect(ok.status).toBe(202);
      }
      const limited = await tokenHook(
        rt,
        'callback',
        { phone: capped },
        { 'idempotency-key': 'cap-4' },
      );

      expect(unknown).toMatchObject(problem(404, 'unknown_route'));
      expect(conflict).toMatchObject({
        ...problem(409, 'idempotency_conflict'),
        body: { call_id: original.body.call_id },
      });
      expect(limited).toMatchObject(problem(429, 'contact_rate_limited'));
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('GET /calls: pages, finds an event by its key, and refuses a bad query', async () => {
      const keyed = await tokenHook(
        rt,
        'callback',
        { phone: phone() },
        { 'idempotency-key': 'find-me' },
      );
      const list = (query: string, headers: Record<string, string> = admin) =>
        send(rt.bridgeUrl, 'GET', '/calls', `/calls${query}`, { headers });

      const first = await list('?route=callback&limit=1');
      const next = await list(
        `?route=callback&limit=1&cursor=${encodeURIComponent(first.body.next_cursor)}`,
      );
      const found = await list('?route=callback&key=find-me');
      const badLimit = await list('?limit=0');
      const badCursor = await list('?cursor=garbage');
      const noKey = await list('', {});

      expect(first).toMatchObject({ status: 200, body: { items: [{}] } });
      expect(first.body.next_cursor).toEqual(expect.any(String));
      expect(next.status).toBe(200);
      expect(next.body.items[0].call_id).not.toBe(first.body.items[0].call_id);
      expect(found.body).toEqual({
        items: [expect.objectContaining({ call_id: keyed.body.call_id })],
        next_cursor: null,
      });
      expect(badLimit).toMatchObject({
        ...problem(400, 'invalid_filter'),
        body: { parameter: 'limit' },
      });
      expect(badCursor).toMatchObject(problem(400, 'invalid_cursor'));
      expect(noKey).toMatchObject(problem(401, 'unauthorized'));
    });

    it('GET /figures: 200 per route, 400 for a bad window, 401 without the admin key', async () => {
      const figures = (query: string, headers: Record<string, string> = admin) =>
        send(rt.bridgeUrl, 'GET', '/figures', `/figures${query}`, { headers });

      const report = await figures('?hours=1');
      const bad = await figures('?hours=0');
      const noKey = await figures('', {});

      expect(report.status).toBe(200);
      expect(report.body.routes.map((route: { route: string }) => route.route)).toContain(
        'callback',
      );
      expect(bad).toMatchObject({
        ...problem(400, 'invalid_filter'),
        body: { parameter: 'hours' },
      });
      expect(noKey).toMatchObject(problem(401, 'unauthorized'));
    });

    it('GET /calls/{call_id}: a queued call and a skipped one with their timelines; 404 otherwise', async () => {
      const queued = await queuedCall();
      const skipped = await tokenHook(rt, 'lenient', { phone: 'call me maybe' });

      const view = await call(rt, queued);
      const skippedView = await call(rt, skipped.body.call_id);
      const missing = await call(rt, `c_${'0'.repeat(32)}`);
      const notAnId = await call(rt, 'nonsense');

      expect(view).toMatchObject({
        status: 200,
        body: { status: 'queued', timeline: [{ type: 'status' }] },
      });
      expect(skippedView).toMatchObject({
        status: 200,
        body: { status: 'skipped', method: null, error: { reason: 'invalid_phone' } },
      });
      expect(missing).toMatchObject(problem(404, 'call_not_found'));
      expect(notAnId).toMatchObject(problem(404, 'call_not_found'));

      // Its event as received: kept for the accepted call, none for the skipped one.
      const eventOf = (callId: string) =>
        send(rt.bridgeUrl, 'GET', '/calls/{call_id}/event', `/calls/${callId}/event`, {
          headers: admin,
        });
      expect(await eventOf(queued)).toMatchObject({
        status: 200,
        body: { call_id: queued, payload: { phone: expect.stringMatching(/^\*+\d{4}$/) } },
      });
      expect(await eventOf(skipped.body.call_id)).toMatchObject({
        status: 200,
        body: { payload: null, read: [] },
      });
    });

    it('POST /calls/{call_id}/cancel: 200 cancelled, then 409 not_cancellable', async () => {
      const callId = await queuedCall();

      const cancelled = await call(rt, callId, 'cancel');
      const again = await call(rt, callId, 'cancel');

      expect(cancelled).toMatchObject({ status: 200, body: { status: 'cancelled' } });
      expect(again).toMatchObject({
        ...problem(409, 'not_cancellable'),
        body: { call_id: callId, call_status: 'cancelled' },
      });
    });

    it('POST /calls/{call_id}/abandon and /retry: 409 for a queued call; 200 for a lapsed claim, then its retry', async () => {
      const callId = await queuedCall();
      const notDialing = await call(rt, callId, 'abandon');
      const notRetryable = await call(rt, callId, 'retry');
      // A dispatcher that claimed it and died: its lease has lapsed.
      const lapsed = new Date(clock().getTime() - 1_000).toISOString();
      const farOff = new Date(clock().getTime() + 86_400_000).toISOString();
      await rt.store.update(callId, (record) =>
        change('claim', clock(), {
          // Not due for the sweeper: the operator's abandon is what ends it.
          set: {
            attempts: record.attempts + 1,
            lease_owner: 'gone',
            lease_expires_at: lapsed,
            sweep_at: farOff,
          },
        }),
      );

      const abandoned = await call(rt, callId, 'abandon');
      const retried = await call(rt, callId, 'retry');

      expect(notDialing).toMatchObject({
        ...problem(409, 'not_abandonable'),
        body: { call_status: 'queued' },
      });
      expect(notRetryable).toMatchObject(problem(409, 'not_retryable'));
      expect(abandoned).toMatchObject({ status: 200, body: { status: 'unknown' } });
      expect(retried).toMatchObject({ status: 200, body: { status: 'queued' } });
    });

    /** Ends a queued call as a report would: completed, nobody answered. */
    const completedCall = async (callId: string) => {
      const at = () => clock();
      const sweepAt = () => new Date(clock().getTime() + 86_400_000).toISOString();
      await rt.store.update(callId, (record) =>
        change('claim', at(), {
          set: { attempts: record.attempts + 1, lease_owner: 'test', sweep_at: sweepAt() },
        }),
      );
      await rt.store.update(callId, () =>
        change('place', at(), { set: { call_session_id: 4242, session_key: 'demo#4242' } }),
      );
      const ended = at().toISOString();
      await rt.store.update(callId, () =>
        change('ended', at(), {
          set: {
            outcome: {
              reported_by: 'report',
              answered: false,
              ended_at: ended,
              result: 'no_answer',
              finish_reason: 'subscriber_not_responding',
              talk_s: 0,
              wait_s: 30,
            },
          },
        }),
      );
    };

    it('GET /routes, POST /calls/search and /calls/bulk: 200, 400 for a bad input, 401 without the key', async () => {
      const number = phone();
      const found = await tokenHook(rt, 'callback', { phone: number });
      const post = (template: string, body: unknown, headers: Record<string, string> = admin) =>
        send(rt.bridgeUrl, 'POST', template, template, {
          headers: { 'content-type': 'application/json', ...headers },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        });

      const routes = await send(rt.bridgeUrl, 'GET', '/routes', '/routes', { headers: admin });
      const badRoutes = await send(rt.bridgeUrl, 'GET', '/routes', '/routes?all=1', {
        headers: admin,
      });
      const noKeyRoutes = await send(rt.bridgeUrl, 'GET', '/routes', '/routes');
      const search = await post('/calls/search', { contact: number });
      const badSearch = await post('/calls/search', '{');
      const noKeySearch = await post('/calls/search', { contact: number }, {});
      const dry = await post('/calls/bulk', {
        action: 'cancel',
        call_ids: [found.body.call_id],
        dry_run: true,
      });
      const badBulk = await post('/calls/bulk', { action: 'cancel', call_ids: [] });
      const noKeyBulk = await post('/calls/bulk', { action: 'cancel', call_ids: ['x'] }, {});

      expect(routes.body.routes[0]).toMatchObject({ name: 'callback' });
      expect(badRoutes).toMatchObject({
        ...problem(400, 'invalid_filter'),
        body: { parameter: 'all' },
      });
      expect(search.body.items).toEqual([expect.objectContaining({ call_id: found.body.call_id })]);
      expect(badSearch).toMatchObject(problem(400, 'malformed_body'));
      expect(dry.body).toMatchObject({ dry_run: true, applicable: 1 });
      expect(badBulk).toMatchObject({
        ...problem(400, 'invalid_filter'),
        body: { parameter: 'call_ids' },
      });
      for (const refused of [noKeyRoutes, noKeySearch, noKeyBulk])
        expect(refused).toMatchObject(problem(401, 'unauthorized'));
    });

    it('GET and POST /calls/{call_id}/again: the preview, 200 queued, 400, 409 and 429 at the cap', async () => {
      const number = phone();
      const first = (await tokenHook(rt, 'callback', { phone: number })).body.call_id;
      const again = (callId: string, body?: unknown) =>
        send(rt.bridgeUrl, 'POST', '/calls/{call_id}/again', `/calls/${callId}/again`, {
          headers: { ...admin, ...(body !== undefined && { 'content-type': 'application/json' }) },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        });
      const notCompleted = await again(first);
      await completedCall(first);
      const preview = await send(
        rt.bridgeUrl,
        'GET',
        '/calls/{call_id}/again',
        `/calls/${first}/again`,
        { headers: admin },
      );
      const badBody = await again(first, { confirm: true });
      const queued = await again(first);
      // The number's event, its call again and a second event fill its cap of 3.
      expect(
        (await tokenHook(rt, 'callback', { phone: number }, { 'idempotency-key': 'second' }))
          .status,
      ).toBe(202);
      await completedCall(first);
      const capped = await again(first);

      expect(notCompleted).toMatchObject({
        ...problem(409, 'not_callable_again'),
        body: { call_status: 'queued', talked: false },
      });
      expect(preview.body).toMatchObject({ allowed: true, calls_today: [{ call_id: first }] });
      expect(badBody).toMatchObject({
        ...problem(400, 'invalid_filter'),
        body: { parameter: 'confirm' },
      });
      expect(queued).toMatchObject({ status: 200, body: { status: 'queued', attempt: 2 } });
      expect(capped).toMatchObject(problem(429, 'contact_rate_limited'));
      expect(Number(capped.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('every call endpoint: 404 call_not_found for no such call, 401 without the admin key', async () => {
      const nobody = `c_${'f'.repeat(32)}`;
      for (const [method, action] of [
        ['GET', 'again'],
        ['GET', 'event'],
      ] as const) {
        const path = `/calls/${nobody}/${action}`;
        const template = `/calls/{call_id}/${action}`;
        expect(await send(rt.bridgeUrl, method, template, path, { headers: admin })).toMatchObject(
          problem(404, 'call_not_found'),
        );
        expect(await send(rt.bridgeUrl, method, template, path)).toMatchObject(
          problem(401, 'unauthorized'),
        );
      }
      for (const action of [undefined, 'cancel', 'retry', 'abandon', 'again'] as const) {
        const path = `/calls/${nobody}${action === undefined ? '' : `/${action}`}`;
        const template = `/calls/{call_id}${action === undefined ? '' : `/${action}`}`;
        const method = action === undefined ? 'GET' : 'POST';

        expect(await call(rt, nobody, action)).toMatchObject(problem(404, 'call_not_found'));
        expect(await send(rt.bridgeUrl, method, template, path)).toMatchObject(
          problem(401, 'unauthorized'),
        );
        expect(
          await send(rt.bridgeUrl, method, template, path, {
            headers: { authorization: 'Bearer wrong' },
          }),
        ).toMatchObject(problem(401, 'unauthorized'));
      }
    });

    it.each([
      {
        name: 'an event for no call of ours',
        send: () => event(rt, 'demo', json({ event: 'ended', call_session_id: 999 }), withToken),
        expected: { status: 200, body: { status: 'ignored' } },
      },
      {
        name: 'malformed JSON',
        send: () => event(rt, 'demo', { ...json(null), body: '{' }, withToken),
        expected: problem(400, 'malformed_body'),
      },
      {
        name: 'no token',
        send: () => event(rt, 'demo', json({ event: 'ended', call_session_id: 1 })),
        expected: problem(401, 'unauthorized'),
      },
      {
        name: 'a wrong token',
        send: () =>
          event(
            rt,
            'demo',
            json({ event: 'ended', call_session_id: 1 }, { 'x-callhook-token': 'x' }),
          ),
        expected: problem(401, 'invalid_signature'),
      },
      {
        name: 'an unknown account',
        send: () => event(rt, 'other', json({ event: 'ended', call_session_id: 1 }), withToken),
        expected: problem(404, 'unknown_account'),
      },
      {
        name: 'a body over 256 KiB',
        send: () =>
          event(
            rt,
            'demo',
            json({ event: 'ended', call_session_id: 1, pad: 'x'.repeat(MAX_BODY_BYTES) }),
            withToken,
          ),
        expected: problem(413, 'payload_too_large'),
      },
      {
        name: 'a text/plain body',
        send: () =>
          event(
            rt,
            'demo',
            { headers: { 'content-type': 'text/plain' }, body: 'ended' },
            withToken,
          ),
        expected: problem(415, 'unsupported_media_type'),
      },
      {
        name: 'an event off the template',
        send: () => event(rt, 'demo', json({ event: 'hung-up', call_session_id: 'x' }), withToken),
        expected: problem(422, 'invalid_payload'),
      },
    ])('POST /events/{account}: $expected.status for $name', async ({ send: post, expected }) => {
      expect(await post()).toMatchObject(expected);
    });

    it('GET /health and GET /openapi.json: up, and the committed description, cacheable', async () => {
      const health = await send(rt.bridgeUrl, 'GET', '/health', '/health');
      const served = await send(rt.bridgeUrl, 'GET', '/openapi.json', '/openapi.json');

      expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect(served.status).toBe(200);
      expect(served.body).toEqual(doc);
      expect(served.headers.get('cache-control')).toMatch(/max-age=\d+/);
    });

    it('GET /console and /console/{asset}: the page, its script and style; 404 for another file', async () => {
      const asset = (name: string) =>
        send(rt.bridgeUrl, 'GET', '/console/{asset}', `/console/${name}`);

      const page = await send(rt.bridgeUrl, 'GET', '/console', '/console');
      const script = await asset('console.js');
      const style = await asset('console.css');
      const missing = await asset('secrets.json');

      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(style.headers.get('content-type')).toMatch(/^text\/css/);
      expect(missing).toMatchObject(problem(404, 'not_found'));
    });

    it('GET /hooks/{route}: 405 with Allow: POST, a webhook being a POST', async () => {
      const answer = await send(rt.bridgeUrl, 'GET', '/hooks/{route}', '/hooks/callback');

      expect(answer).toMatchObject(problem(405, 'method_not_allowed'));
      expect(answer.headers.get('allow')).toBe('POST');
    });

    it('answers a path no route matches with a problem of the described shape', async () => {
      const response = await fetch(`${rt.bridgeUrl}/nowhere`);
      const body = await response.json();

      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(body).toMatchObject({ code: 'not_found' });
      expect(contract.checkSchema('Problem', body)).toEqual([]);
    });
  });

  describe('with calls placed at the simulator', () => {
    let rt: TestRuntime;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    const phone = freshPhones('720');

    beforeAll(async () => {
      receiver = await startReceiver();
      rt = await startTestRuntime({
        config: await contractConfig({ url: receiver.url }),
        sweepIntervalMs: 0,
        callbackBackoff: { baseMs: 0, maxMs: 0 },
        secrets: { 'demo/callback-key': `whsec_${randomBytes(32).toString('base64')}` },
      });
    });
    afterAll(async () => {
      await rt.stop();
      await receiver.close();
    });

    const placedCall = async () => {
      const accepted = await tokenHook(rt, 'callback', { phone: phone() });
      const view = await waitForStatus(rt.bridgeUrl, accepted.body.call_id, 'placed');
      return { callId: String(accepted.body.call_id), sessionId: Number(view.call_session_id) };
    };

    it("POST /events/{account}: 200 recorded; the call's timeline then shows the event and its callbacks", async () => {
      const { callId, sessionId } = await placedCall();
      const answered = { event: 'answered', call_session_id: sessionId };
      const ended = {
        event: 'ended',
        call_session_id: String(sessionId),
        talk_time_duration: '42',
        finish_reason: 'subscriber_hangup',
        notification_time: new Date().toISOString(),
      };

      const first = await event(rt, 'demo', json(answered), withToken);
      const last = await event(rt, 'demo', json(ended), withToken);
      // Every state change posts a callback; their deliveries join the timeline.
      const detail = await vi.waitFor(
        async () => {
          const view = await call(rt, callId);
          const types = view.body.timeline.map((entry: { type: string }) => entry.type);
          expect(types).toContain('callback');
          return view;
        },
        { timeout: 10_000, interval: 50 },
      );

      expect(first).toMatchObject({
        status: 200,
        body: { status: 'recorded', call_status: 'placed' },
      });
      expect(last).toMatchObject({
        status: 200,
        body: { status: 'recorded', call_status: 'completed' },
      });
      expect(detail.body).toMatchObject({ status: 'completed', outcome: { duration_s: 42 } });
      expect(detail.body.timeline).toContainEqual(
        expect.objectContaining({ type: 'provider_event', talk_time_duration: 42 }),
      );
    });

    it('POST /calls/{call_id}/cancel: 502 while the provider does not confirm, then 200 hung up, then 409', async () => {
      const { callId } = await placedCall();
      rt.simulator.injectFault({ fault: { mode: 'http_502' }, method: 'release.call', times: 100 });

      const unconfirmed = await call(rt, callId, 'cancel');
      rt.simulator.clearFaults();
      const released = await call(rt, callId, 'cancel');
      const over = await call(rt, callId, 'cancel');

      expect(unconfirmed).toMatchObject(problem(502, 'provider_unavailable'));
      // Hung up before anyone answered: `cancelled`, its end noted.
      expect(released).toMatchObject({ status: 200, body: { status: 'cancelled' } });
      expect(released.body.outcome.ended_at).toEqual(expect.any(String));
      expect(over).toMatchObject({
        ...problem(409, 'not_cancellable'),
        body: { call_status: 'cancelled' },
      });
    });
  });

  describe('with a browser route and a CAPTCHA stand-in', () => {
    const SHOP = 'http://shop.test';
    let rt: TestRuntime;
    let captcha: CaptchaStandIn;
    const phone = freshPhones('712');

    beforeAll(async () => {
      captcha = await startCaptchaStandIn();
      rt = await startTestRuntime({
        config: demoConfig({
          form: formRoute(captcha.verifyUrl('turnstile'), {
            consent: { required: true, text_version: 'v1' },
          }),
        }),
        secrets: { 'shop/captcha': STAND_IN_SECRET },
        queue: { concurrency: 0 },
        sweepIntervalMs: 0,
      });
    });
    afterAll(async () => {
      await rt?.stop();
      await captcha?.close();
    });

    const form = (body: unknown, origin = SHOP) => hook(rt, 'form', json(body, { origin }));
    const preflight = (route: string, origin = SHOP) =>
      send(rt.bridgeUrl, 'OPTIONS', '/hooks/{route}', `/hooks/${route}`, {
        headers: { origin, 'access-control-request-method': 'POST' },
      });

    it('POST /hooks/{route}: 202, 403 for another origin or a bad CAPTCHA, 422 without consent, 503 with the provider down', async () => {
      const token = () => captcha.issue('shop.test');
      expect(await form(formBody(phone(), token(), { consent: true }))).toMatchObject({
        status: 202,
      });
      expect(await form(formBody(phone(), token()), 'http://elsewhere.test')).toMatchObject(
        problem(403, 'origin_not_allowed'),
      );
      expect(await form(formBody(phone(), 'tok_wrong', { consent: true }))).toMatchObject(
        problem(403, 'captcha_failed'),
      );
      expect(await form(formBody(phone(), token()))).toMatchObject(
        problem(422, 'consent_required'),
      );
      captcha.fault = 'down';
      const down = await form(formBody(phone(), token(), { consent: true }));
      captcha.fault = 'none';
      expect(down).toMatchObject(problem(503, 'captcha_unavailable'));
    });

    it('OPTIONS /hooks/{route}: 204 for its site, 403 for another, 404 for no route', async () => {
      expect((await preflight('form')).status).toBe(204);
      expect(await preflight('form', 'http://elsewhere.test')).toMatchObject(
        problem(403, 'origin_not_allowed'),
      );
      expect(await preflight('nowhere')).toMatchObject(problem(404, 'unknown_route'));
    });

    it('GET /hooks/{route}/form and GET /widget/{asset}: 200, and 404 for what is not there', async () => {
      const settings = await send(rt.bridgeUrl, 'GET', '/hooks/{route}/form', '/hooks/form/form');
      expect(settings).toMatchObject({
        status: 200,
        body: { open: true, captcha: { provider: 'turnstile' } },
      });
      expect(
        await send(rt.bridgeUrl, 'GET', '/hooks/{route}/form', '/hooks/nowhere/form'),
      ).toMatchObject(problem(404, 'unknown_route'));
      const asset = (name: string) =>
        send(rt.bridgeUrl, 'GET', '/widget/{asset}', `/widget/${name}`);
      expect((await asset('callhook-widget.js')).status).toBe(200);
      expect(await asset('secrets.json')).toMatchObject(problem(404, 'not_found'));
    });
  });

  it('has a test answer for every status it documents, but the 500 of a fault', () => {
    const untested: string[] = [];
    for (const { key, operation } of operationsOf(doc)) {
      for (const status of Object.keys(operation.responses ?? {})) {
        if (status === '500') continue;
        if (!seen.get(key)?.has(Number(status))) untested.push(`${key} ${status}`);
      }
    }

    expect(untested).toEqual([]);
  });
});
