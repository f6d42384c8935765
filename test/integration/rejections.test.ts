import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../shared/http/raw-request.ts';
import { type Answer, postHook } from '../support/http.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

describe('Local runtime: every rejection is problem+json, and stores nothing unless the event was authentic', () => {
  let runtime: TestRuntime;

  beforeAll(async () => {
    runtime = await startTestRuntime();
  });
  afterAll(() => runtime.stop());

  const cases: {
    name: string;
    send: (url: string) => Promise<Answer>;
    status: number;
    code: string;
  }[] = [
    {
      name: 'unknown route',
      send: (url) => postHook(url, 'no-such-route', { phone: '89260000000' }),
      status: 404,
      code: 'unknown_route',
    },
    {
      name: 'missing token',
      send: (url) => postHook(url, 'callback', { phone: '89260000000' }, { token: null }),
      status: 401,
      code: 'unauthorized',
    },
    {
      name: 'wrong token',
      send: (url) => postHook(url, 'callback', { phone: '89260000000' }, { token: 'guess' }),
      status: 401,
      code: 'invalid_signature',
    },
    {
      name: 'unsupported content type',
      send: (url) =>
        postHook(url, 'callback', null, {
          headers: { 'content-type': 'text/plain' },
          raw: 'phone=89260000000',
        }),
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      name: 'a charset other than UTF-8',
      send: (url) =>
        postHook(url, 'callback', null, {
          headers: { 'content-type': 'application/json; charset=windows-1251' },
          raw: '{"phone":"89260000000"}',
        }),
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      name: 'malformed JSON',
      send: (url) => postHook(url, 'callback', null, { raw: '{"phone": "8926' }),
      status: 400,
      code: 'malformed_body',
    },
    {
      name: 'a JSON array instead of an object',
      send: (url) => postHook(url, 'callback', [{ phone: '89260000000' }]),
      status: 400,
      code: 'malformed_body',
    },
    {
      name: 'JSON nested 100,000 levels deep',
      send: (url) =>
        postHook(url, 'callback', null, {
          raw: `{"phone":"89260000000","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
        }),
      status: 400,
      code: 'malformed_body',
    },
    {
      name: 'bytes that are not UTF-8',
      send: (url) =>
        postHook(url, 'callback', null, {
          raw: Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
        }),
      status: 400,
      code: 'malformed_body',
    },
    {
      name: 'body over 256 KiB',
      send: (url) =>
        postHook(url, 'callback', { phone: '89260000000', pad: 'x'.repeat(MAX_BODY_BYTES) }),
      status: 413,
      code: 'payload_too_large',
    },
    {
      name: 'an empty Idempotency-Key',
      send: (url) =>
        postHook(
          url,
          'callback',
          { phone: '89260000000' },
          { headers: { 'idempotency-key': ' ' } },
        ),
      status: 400,
      code: 'invalid_idempotency_key',
    },
  ];

  it.each(cases)('$name → $status $code', async ({ send, status, code }) => {
    // Act
    const answer = await send(runtime.bridgeUrl);

    // Assess
    expect(answer.status).toBe(status);
    expect(answer.contentType).toBe('application/problem+json');
    expect(answer.body).toMatchObject({ status, code, type: `urn:callhook:problem:${code}` });
    expect(answer.body.title).toEqual(expect.any(String));
    expect(answer.body.detail).toEqual(expect.any(String));
    expect(await runtime.storedCalls()).toBe(0);
    expect(runtime.queue.sentCount).toBe(0);
    expect(runtime.simulator.calls()).toHaveLength(0);
  });

  /*
   * An authentic event (the route's token is right) that must not ring is refused on a route
   * with `on_refusal: "reject"` (the shipped `callback` route, as every hand-written one), and
   * kept as one `skipped` record: no call, nothing queued, and a retry of it is a repeat.
   */
  const skipped: typeof cases = [
    {
      name: 'missing phone',
      send: (url) => postHook(url, 'callback', { name: 'Anna' }),
      status: 422,
      code: 'invalid_phone',
    },
    {
      name: 'unparseable phone',
      send: (url) => postHook(url, 'callback', { phone: '12' }),
      status: 422,
      code: 'invalid_phone',
    },
    {
      name: 'a phone that is not a string',
      send: (url) => postHook(url, 'callback', { phone: { number: '89260000000' } }),
      status: 422,
      code: 'invalid_phone',
    },
  ];

  it.each(skipped)('$name → $status $code, one skipped record', async ({ send, status, code }) => {
    const stored = await runtime.storedCalls();

    const answer = await send(runtime.bridgeUrl);
    const again = await send(runtime.bridgeUrl);

    expect(answer.status).toBe(status);
    expect(answer.contentType).toBe('application/problem+json');
    expect(answer.body).toMatchObject({ status, code, type: `urn:callhook:problem:${code}` });
    expect(again.body).toMatchObject({ status, code });
    expect(await runtime.storedCalls()).toBe(stored + 1);
    expect(runtime.queue.sentCount).toBe(0);
    expect(runtime.simulator.calls()).toHaveLength(0);
  });

  it('never echoes the phone number in a rejection', async () => {
    const answer = await postHook(runtime.bridgeUrl, 'callback', { phone: '+7 926 12' });

    expect(answer.status).toBe(422);
    expect(JSON.stringify(answer.body)).not.toContain('926');
  });

  it('answers an unknown path with problem+json', async () => {
    const response = await fetch(`${runtime.bridgeUrl}/nowhere`);

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'not_found' });
  });
});
