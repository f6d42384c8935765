import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentedCodes } from '../support/documented-codes.ts';
import { HOOK_TOKEN, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * Property: whatever arrives at a webhook URL that is not a valid event, callhook answers a 4xx
 * problem+json with a documented code, never a 5xx, and stores and queues nothing. Inputs are
 * generated so that each is invalid at some layer (route, token, media type, body, phone, size),
 * with random noise on top.
 */
const routeName = fc.oneof(
  fc
    .stringMatching(/^[a-z0-9-]{1,20}$/)
    .filter((name) => name !== 'callback' && name !== 'order-confirmation'),
  fc
    .string({ maxLength: 20 })
    .map(encodeURIComponent)
    .filter((name) => name !== '' && name !== 'callback'),
);
const noiseHeaders = fc.dictionary(
  fc.stringMatching(/^x-[a-z]{1,10}$/),
  fc.string({ maxLength: 40 }).filter((value) => /^[\x20-\x7e]*$/.test(value)),
  { maxKeys: 3 },
);
/** A phone no sender could mean: fewer than five digits in it. */
const hopelessPhone = fc.oneof(
  fc.string({ maxLength: 30 }).filter((text) => (text.match(/\d/g) ?? []).length < 5),
  fc.constantFrom(null, true, 12, [], {}),
);
const jsonBody = (phone: unknown) => JSON.stringify({ phone, name: 'x' });

type Case = { route: string; headers: Record<string, string>; body: string | Buffer };

const cases: fc.Arbitrary<Case> = fc.oneof(
  // No such route.
  fc.record({
    route: routeName,
    headers: fc.constant({ 'content-type': 'application/json', 'x-callhook-token': HOOK_TOKEN }),
    body: fc.constant(jsonBody('+79260000000')),
  }),
  // Wrong or missing token.
  fc.record({
    route: fc.constant('callback'),
    headers: fc
      .option(
        fc
          .string({ minLength: 1, maxLength: 40 })
          .filter((t) => /^[\x21-\x7e]+$/.test(t) && t !== HOOK_TOKEN),
      )
      .map(
        (token): Record<string, string> => ({
          'content-type': 'application/json',
          ...(token !== null && { 'x-callhook-token': token }),
        }),
      ),
    body: fc.constant(jsonBody('+79260000000')),
  }),
  // A media type callhook does not read.
  fc.record({
    route: fc.constant('callback'),
    headers: fc
      .constantFrom(
        'text/plain',
        'application/xml',
        'multipart/form-data',
        'application/json; charset=latin1',
        'image/png',
      )
      .map((type) => ({ 'content-type': type, 'x-callhook-token': HOOK_TOKEN })),
    body: fc.string({ maxLength: 100 }),
  }),
  // A body that is not a JSON object, or bytes that are not UTF-8.
  fc.record({
    route: fc.constant('callback'),
    headers: fc.constant({ 'content-type': 'application/json', 'x-callhook-token': HOOK_TOKEN }),
    body: fc.oneof(
      fc.string({ maxLength: 200 }).filter((text) => {
        try {
          const value: unknown = JSON.parse(text);
          return typeof value !== 'object' || value === null || Array.isArray(value);
        } catch {
          return true;
        }
      }),
      fc
        .uint8Array({ minLength: 1, maxLength: 64 })
        .map((bytes) => Buffer.concat([Buffer.from([0xff, 0xfe]), bytes])),
    ),
  }),
  // A well-formed event whose phone is hopeless, as JSON or as a form.
  fc.record({
    route: fc.constant('callback'),
    headers: fc.constant({ 'content-type': 'application/json', 'x-callhook-token': HOOK_TOKEN }),
    body: hopelessPhone.map(jsonBody),
  }),
  fc.record({
    route: fc.constant('callback'),
    headers: fc.constant({
      'content-type': 'application/x-www-form-urlencoded',
      'x-callhook-token': HOOK_TOKEN,
    }),
    body: fc
      .string({ maxLength: 30 })
      .filter((t) => (t.match(/\d/g) ?? []).length < 5)
      .map((phone) => new URLSearchParams({ phone }).toString()),
  }),
  // Too large.
  fc.record({
    route: fc.constant('callback'),
    headers: fc.constant({ 'content-type': 'application/json', 'x-callhook-token': HOOK_TOKEN }),
    body: fc
      .integer({ min: 256 * 1024 + 1, max: 300 * 1024 })
      .map((size) => `{"phone":"${'9'.repeat(size)}"}`),
  }),
);

describe('Resilience: bad input never reaches the store, the queue or a 5xx', () => {
  let runtime: TestRuntime;
  const codes = documentedCodes();
  beforeAll(async () => {
    runtime = await startTestRuntime({ sweepIntervalMs: 0 });
  });
  afterAll(() => runtime.stop());

  it('answers every generated bad request with a documented 4xx problem', async () => {
    await fc.assert(
      fc.asyncProperty(cases, noiseHeaders, async (input, noise) => {
        const stored = await runtime.storedCalls();
        const sent = runtime.queue.sentCount;
        const response = await fetch(`${runtime.bridgeUrl}/hooks/${input.route}`, {
          method: 'POST',
          headers: { ...noise, ...input.headers },
          body: input.body,
        });
        const body = (await response.json()) as { code?: string; status?: number };

        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(codes.get(String(body.code))).toBe(response.status);
        expect(await runtime.storedCalls()).toBe(stored);
        expect(runtime.queue.sentCount).toBe(sent);
      }),
      // Bounded in count and in time, whatever the machine.
      { numRuns: 200, interruptAfterTimeLimit: 60_000 },
    );
  }, 90_000);
});
