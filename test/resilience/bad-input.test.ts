import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callIdFor } from '../../shared/calls/idempotency.ts';
import { queuedRecord } from '../support/dispatch.ts';
import { documentedCodes } from '../support/documented-codes.ts';
import {
  ADMIN_KEY,
  EVENTS_TOKEN,
  HOOK_TOKEN,
  startTestRuntime,
  type TestRuntime,
} from '../support/runtime.ts';

/**
 * Property: whatever arrives at a webhook URL that is not a valid event, callhook answers a 4xx
 * problem+json with a documented code, never a 5xx, and stores and queues nothing. Inputs are
 * generated so that each is invalid at some layer (route, token, media type, body, phone, size,
 * idempotency key), with random noise on top. The same holds for the other routes that take
 * input from outside: ids on `/calls/{call_id}` that cannot be call ids (over DynamoDB's key
 * limit among them), and provider events no template renders (ids, counts, reasons), each with
 * field names DynamoDB refuses as noise.
 */

/** DynamoDB's limit for a partition key (and a GSI key attribute), in UTF-8 bytes. */
const KEY_LIMIT_BYTES = 2048;

/**
 * A string of more than `KEY_LIMIT_BYTES` UTF-8 bytes, of one- to four-byte characters, often
 * starting like a call id. Kept under about 3,000 bytes so the URL stays far below Node's header
 * limit, which would answer before callhook does.
 */
const oversizedId = fc
  .record({
    prefix: fc.constantFrom('c_', ''),
    char: fc.constantFrom('a', '0', 'é', 'Ж', '文', '😀'),
    bytes: fc.integer({ min: KEY_LIMIT_BYTES + 1, max: 3000 }),
  })
  .map(
    ({ prefix, char, bytes }) =>
      `${prefix}${char.repeat(Math.ceil(bytes / Buffer.byteLength(char)))}`,
  )
  .filter((id) => Buffer.byteLength(id) > KEY_LIMIT_BYTES);
const routeName = fc.oneof(
  fc
    .stringMatching(/^[a-z0-9-]{1,20}$/)
    .filter((name) => name !== 'callback' && name !== 'order-confirmation'),
  fc
    .string({ maxLength: 20 })
    .map(encodeURIComponent)
    .filter((name) => name !== '' && name !== 'callback'),
  oversizedId.map(encodeURIComponent),
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
    // Not empty: a request without a body has no media type to refuse.
    body: fc.string({ minLength: 1, maxLength: 100 }),
  }),
  // A body that is not a JSON object, or bytes that are not UTF-8.
  fc.record({
    route: fc.constant('callback'),
    headers: fc.constant({ 'content-type': 'application/json', 'x-callhook-token': HOOK_TOKEN }),
    body: fc.oneof(
      // Not empty: a request without a body is an event without fields (a skipped one).
      fc.string({ minLength: 1, maxLength: 200 }).filter((text) => {
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
  // A well-formed, authentic event whose phone is hopeless, as JSON or as a form: refused, and
  // kept as one skipped record (the only kind of record a refusal may leave).
  fc.record({
    route: fc.constant('callback'),
    headers: fc.constant({ 'content-type': 'application/json', 'x-callhook-token': HOOK_TOKEN }),
    body: hopelessPhone.map(jsonBody),
    skippable: fc.constant(true),
  }),
  fc.record({
    route: fc.constant('callback'),
    skippable: fc.constant(true),
    headers: fc.constant({
      'content-type': 'application/x-www-form-urlencoded',
      'x-callhook-token': HOOK_TOKEN,
    }),
    body: fc
      .string({ maxLength: 30 })
      .filter((t) => (t.match(/\d/g) ?? []).length < 5)
      .map((phone) => new URLSearchParams({ phone }).toString()),
  }),
  // An Idempotency-Key no sender could mean: empty, over 255 characters (up to past DynamoDB's
  // key limit), or not printable ASCII.
  fc.record({
    route: fc.constant('callback'),
    headers: fc
      .oneof(
        fc.constant(''),
        fc.integer({ min: 256, max: 3000 }).map((n) => 'k'.repeat(n)),
        fc.stringMatching(/^[a-z]{1,10} [a-z]{1,10}$/),
      )
      .map((key) => ({
        'content-type': 'application/json',
        'x-callhook-token': HOOK_TOKEN,
        'idempotency-key': key,
      })),
    body: fc.constant(jsonBody('+79260000000')),
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

/** Ids no call can have: too long for DynamoDB's key, or simply not `c_` and 32 hex digits. */
const impossibleCallId = fc.oneof(
  oversizedId,
  fc.string({ minLength: 1, maxLength: 80 }).filter((id) => !/^c_[0-9a-f]{32}$/.test(id)),
  fc.stringMatching(/^c_[0-9a-f]{31}$|^c_[0-9a-f]{33,40}$|^c_[0-9A-F]{32}$/),
);
/** Every route that takes a call id in its path, as `[method, suffix]`. */
const callIdRoute = fc.constantFrom(
  ['GET', ''] as const,
  ['POST', '/cancel'] as const,
  ['POST', '/retry'] as const,
);

/**
 * Field names DynamoDB refuses in a stored map, or that reach its limits: empty (at the top,
 * nested, inside a list), over 64 KiB, and nesting that is fine for callhook's parser but not
 * two levels down in a record.
 */
const hazardousFields: fc.Arbitrary<Record<string, unknown>> = fc
  .subarray(
    [
      { '': 'empty name' },
      { nested: { '': { '': 1 } } },
      { list: [{ '': true }, { ok: [{ '': null }] }] },
      { ['n'.repeat(65_536)]: 'a name over 64 KiB' },
      { deep: JSON.parse(`${'{"d":'.repeat(30)}1${'}'.repeat(30)}`) as unknown },
      { big: 1e300, tiny: 1e-200, unsafe: 2 ** 60 },
    ],
    { minLength: 1 },
  )
  .map((parts) => Object.assign({}, ...parts) as Record<string, unknown>);

/** The seeded call's session: events naming it would change it if they got through. */
const SEEDED_SESSION = 777_000_001;
const SEEDED_CALL = callIdFor('callback', 'header', 'resilience-seeded-call');
/** Another placed call, for the events that are valid and recorded. */
const RECORDING_SESSION = 777_000_002;
const RECORDING_CALL = callIdFor('callback', 'header', 'resilience-recording-call');

/** Mostly the events account, sometimes a name no account could have. */
const eventsAccount = fc.oneof(
  { weight: 4, arbitrary: fc.constant('demo') },
  { weight: 1, arbitrary: oversizedId },
);

/** A session callhook did not start. */
const otherSession = fc.integer({ min: 900_000_000, max: 999_999_999 });

/** A JSON number literal JSON.stringify cannot write (`1e400` parses to Infinity). */
const raw = (literal: string) => ({ raw: literal });
type Field = unknown | { raw: string };
/** JSON text for `fields`, with `{raw}` values written as the literal they hold. */
const jsonText = (fields: Record<string, Field>): string =>
  `{${Object.entries(fields)
    .map(([name, value]) => {
      const text =
        typeof value === 'object' && value !== null && 'raw' in value
          ? String((value as { raw: string }).raw)
          : JSON.stringify(value);
      return `${JSON.stringify(name)}:${text}`;
    })
    .join(',')}}`;

/** A count no session id or duration can be: negative, fractional, beyond 2^53, or infinite. */
const badCount: fc.Arbitrary<Field> = fc.oneof(
  fc.constantFrom<Field>(
    -1,
    1.5,
    -0.25,
    2 ** 53,
    2 ** 60,
    1e21,
    1e300,
    raw('1e400'),
    raw('-1e400'),
    raw('123456789012345678901234567890123456789012'),
    '9'.repeat(400),
    '9007199254740993',
    '1.5',
    '-1',
    '',
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isSafeInteger(n)),
);

/**
 * Provider notifications no template renders, each aimed at the seeded call where it can be,
 * with hazardous field names as noise: each must be refused before anything is looked up.
 */
const badEvents: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      // A session id that is not a positive integer, maybe with the call's own external_id.
      fc.record({
        event: fc.constantFrom('answered', 'ended'),
        call_session_id: badCount,
        external_id: fc.constantFrom(SEEDED_CALL, undefined),
      }),
      // The seeded session with a duration that is no count.
      fc.record({
        event: fc.constant('ended'),
        call_session_id: fc.constant(SEEDED_SESSION),
        talk_time_duration: badCount,
      }),
      // An external_id longer than any id: over DynamoDB's key limit.
      fc.record({
        event: fc.constantFrom('answered', 'ended'),
        call_session_id: fc.integer({ min: 1, max: 2 ** 40 }),
        external_id: oversizedId,
      }),
      // A finish reason no provider sends (it would be copied into the history).
      fc.record({
        event: fc.constant('ended'),
        call_session_id: fc.constant(SEEDED_SESSION),
        finish_reason: fc.integer({ min: 256, max: 150_000 }).map((n) => 'r'.repeat(n)),
      }),
    ),
    fc.option(hazardousFields, { nil: undefined }),
  )
  .map(([event, noise]) =>
    jsonText(
      Object.fromEntries(
        Object.entries({ ...noise, ...event }).filter(([, value]) => value !== undefined),
      ),
    ),
  );

describe('Resilience: bad input never reaches the store, the queue or a 5xx', () => {
  let runtime: TestRuntime;
  const codes = documentedCodes();
  beforeAll(async () => {
    runtime = await startTestRuntime({ sweepIntervalMs: 0 });
    // Placed calls the generated events name: refusing an event must leave its call as it is.
    for (const [callId, session] of [
      [SEEDED_CALL, SEEDED_SESSION],
      [RECORDING_CALL, RECORDING_SESSION],
    ] as const) {
      await runtime.store.create(
        {
          ...queuedRecord(callId),
          account: 'demo',
          status: 'placed',
          call_session_id: session,
          session_key: `demo#${session}`,
        },
        new Date(),
      );
    }
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
        const storedNow = await runtime.storedCalls();
        if ('skippable' in input) {
          expect(storedNow - stored).toBeLessThanOrEqual(1);
        } else {
          expect(storedNow).toBe(stored);
        }
        expect(runtime.queue.sentCount).toBe(sent);
      }),
      // Bounded in count and in time, whatever the machine.
      { numRuns: 200, interruptAfterTimeLimit: 60_000 },
    );
  }, 90_000);

  /** The answer, the store and the queue must all show the request was refused. */
  const expectRefused = async (response: Response, stored: number, sent: number) => {
    const body = (await response.json()) as { code?: string; status?: number };
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(codes.get(String(body.code))).toBe(response.status);
    expect(await runtime.storedCalls()).toBe(stored);
    expect(runtime.queue.sentCount).toBe(sent);
    return body;
  };

  it('answers an id that cannot be a call id with 404 call_not_found on every /calls route', async () => {
    await fc.assert(
      fc.asyncProperty(callIdRoute, impossibleCallId, async ([method, suffix], id) => {
        const stored = await runtime.storedCalls();
        const sent = runtime.queue.sentCount;
        const response = await fetch(
          `${runtime.bridgeUrl}/calls/${encodeURIComponent(id)}${suffix}`,
          { method, headers: { authorization: `Bearer ${ADMIN_KEY}` } },
        );

        const body = await expectRefused(response, stored, sent);
        expect(body).toMatchObject({ status: 404, code: 'call_not_found' });
      }),
      { numRuns: 100, interruptAfterTimeLimit: 30_000 },
    );
  }, 60_000);

  it('refuses every generated impossible provider event with a documented 4xx, changing nothing', async () => {
    const seeded = await runtime.store.get(SEEDED_CALL);
    await fc.assert(
      fc.asyncProperty(badEvents, eventsAccount, async (body, account) => {
        const stored = await runtime.storedCalls();
        const sent = runtime.queue.sentCount;
        const url = `${runtime.bridgeUrl}/events/${encodeURIComponent(account)}`;
        const response = await fetch(`${url}?token=${EVENTS_TOKEN}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });

        await expectRefused(response, stored, sent);
        expect(await runtime.store.get(SEEDED_CALL)).toEqual(seeded);
      }),
      { numRuns: 150, interruptAfterTimeLimit: 45_000 },
    );
  }, 75_000);

  it('records a valid event whatever its other field names, and never answers 5xx', async () => {
    // Field names are the template author's: callhook stores the event as JSON text, so no
    // name DynamoDB would refuse as an attribute can fail the write (see DynamoDB Local's test).
    await fc.assert(
      fc.asyncProperty(hazardousFields, fc.option(otherSession), async (noise, other) => {
        const stored = await runtime.storedCalls();
        const sent = runtime.queue.sentCount;
        const ours = other === null;
        const session = other ?? RECORDING_SESSION;
        const response = await fetch(`${runtime.bridgeUrl}/events/demo?token=${EVENTS_TOKEN}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...noise, event: 'answered', call_session_id: session }),
        });

        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject(
          ours ? { status: 'recorded', call_id: RECORDING_CALL } : { status: 'ignored' },
        );
        expect(await runtime.storedCalls()).toBe(stored);
        expect(runtime.queue.sentCount).toBe(sent);
      }),
      { numRuns: 40, interruptAfterTimeLimit: 30_000 },
    );
  }, 60_000);
});
