import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measureKeptEventSize } from '../../bench/kept-event-size.ts';
import { payloadLines } from '../../console/src/payload-lines.ts';
import { KEPT_PAYLOAD_BYTES } from '../../shared/calls/kept-event.ts';
import { acceptWebhook } from '../../shared/ingest/accept-webhook.ts';
import { keptEventOf } from '../../shared/ingest/keep-payload.ts';
import { readPathsOf } from '../../shared/ingest/read-paths.ts';
import { demoConfig } from '../support/configs.ts';
import { memoryIngestDeps } from '../support/ingest-deps.ts';

const config = demoConfig({
  orders: {
    auth: { type: 'none' },
    idempotency_key: 'order.id',
    condition: '$$.status = "paid"',
    on_refusal: 'accept',
    call: {
      method: 'start.informer_call',
      contact: 'customer.phone ? customer.phone : billing.phone',
      contact_message: {
        type: 'tts',
        value:
          '"Order " & order.id & ", " & $string($count(items[type="tea"].sku)) & " teas, " & $uppercase(customer.name)',
      },
    },
  },
});
const route = config.routes.orders;
const account = config.accounts.demo;
if (route === undefined || account === undefined) throw new Error('the test config has no orders');

const CONTACT = '79261234567';

describe('The fields a route reads, from its expressions', () => {
  it('names each field by its path from the top, with what it is read as', () => {
    expect(readPathsOf(route, account)).toEqual([
      { path: ['customer', 'phone'], as: ['contact'] },
      { path: ['billing', 'phone'], as: ['contact'] },
      { path: ['order', 'id'], as: ['key', 'call'] },
      { path: ['status'], as: ['condition'] },
      { path: ['items', 'type'], as: ['call'] },
      { path: ['items', 'sku'], as: ['call'] },
      { path: ['customer', 'name'], as: ['call'] },
    ]);
  });
});

describe('An event’s payload as kept', () => {
  const keep = (payload: Record<string, unknown>, browserForm = false) =>
    keptEventOf({
      payload,
      read: readPathsOf(route, account),
      contact: CONTACT,
      receivedBytes: 321,
      browserForm,
    });

  it('masks the contact, phone numbers, e-mail addresses and secrets, and keeps the rest as it came', () => {
    const kept = keep({
      order: { id: '5208123456789', total: 2500 },
      status: 'paid',
      customer: {
        name: 'Anna',
        phone: '+7 (926) 123-45-67',
        whatsapp: 79261112233,
        id: 5208123456789,
      },
      billing: { phone: 'none', city: 'Moscow' },
      note: 'call me on 8 926 333-44-55 after six, not on 89261234567',
      email: 'anna.petrova@example.com',
      created_at: '2026-12-01 10:00:00',
      api_key: 'sk_live_123',
      apiKey: { nested: 'secret' },
      password: 'hunter2',
      card: { number: '4111111111111111' },
      author: 'Vera',
      hotel: 'Hilton',
      confirmed: true,
      items: [
        { type: 'tea', sku: 'T-1' },
        { type: 'mug', sku: 'M-1' },
      ],
    });

    expect(kept).toEqual({
      payload: {
        // The route's key is shown as it came, though its digits would pass for a number.
        order: { id: '5208123456789', total: 2500 },
        status: 'paid',
        customer: {
          name: 'Anna',
          phone: '*******4567',
          whatsapp: '*******2233',
          // A number not named like a phone, nor the contact: an id.
          id: 5208123456789,
        },
        billing: { phone: '***', city: 'Moscow' },
        note: 'call me on *******4455 after six, not on *******4567',
        email: 'a***@example.com',
        created_at: '2026-12-01 10:00:00',
        api_key: '***',
        apiKey: '***',
        password: '***',
        card: '***',
        author: 'Vera',
        hotel: 'Hilton',
        confirmed: true,
        items: [
          { type: 'tea', sku: 'T-1' },
          { type: 'mug', sku: 'M-1' },
        ],
      },
      truncated: false,
      received_bytes: 321,
      read: readPathsOf(route, account),
    });
  });

  it('leaves a browser form’s CAPTCHA token out', () => {
    const kept = keep({ phone: '+79261234567', name: 'Vera', captcha_token: 'xyz' }, true);
    expect(kept.payload).toEqual({ phone: '*******4567', name: 'Vera' });
  });

  it('cuts a large payload at the cap, in its own order, and says so', () => {
    const lines = Array.from({ length: 200 }, (_, i) => ({ sku: `SKU-${i}`, qty: i }));
    const kept = keep({ order: { id: '1' }, note: 'x'.repeat(10_000), lines });

    expect(kept.truncated).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(kept.payload))).toBeLessThanOrEqual(KEPT_PAYLOAD_BYTES);
    expect(kept.payload.order).toEqual({ id: '1' });
    expect(String(kept.payload.note)).toMatch(/^x+…$/);
    expect(kept.payload.lines).toBeUndefined();
  });

  it('never holds more than the cap, nor the contact’s number wherever it is written', () => {
    const written = fc.constantFrom(
      '+79261234567',
      '8 926 123-45-67',
      '+7 (926) 123 45 67',
      '9261234567',
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 4 })),
        fc.string({ maxLength: 12 }),
        written,
        (payload, words, contact) => {
          // First, so the cap never cuts it; words of any kind before it, a space between.
          const { remark: _, ...rest } = payload;
          const kept = keep({ remark: `${words} ${contact} now`, ...rest });
          expect(kept.payload).toHaveProperty('remark');
          const json = JSON.stringify(kept.payload);
          expect(Buffer.byteLength(json)).toBeLessThanOrEqual(KEPT_PAYLOAD_BYTES);
          expect(json.replace(/\D/g, ' ')).not.toMatch(/9261234567/);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('An event’s payload as kept, against what a hostile or careless sender writes', () => {
  const keep = (payload: Record<string, unknown>) =>
    keptEventOf({
      payload,
      read: readPathsOf(route, account),
      contact: CONTACT,
      receivedBytes: 321,
      browserForm: false,
    });
  /** Every text of the kept payload, keys and values, in one string. */
  const textOf = (payload: Record<string, unknown>) => JSON.stringify(keep(payload).payload);

  it('masks a long text in time bounded by the cap, not by the text (a 200 000-character field)', () => {
    const started = performance.now();

    const kept = keep({
      order: { id: '1' },
      comment: `${'a'.repeat(200_000)}@`,
      key: 'k'.repeat(100_000),
    });

    // A guard against quadratic work, not a speed figure: masking this field took 24 s before it
    // was cut to the cap first; now it takes milliseconds, a thousandth of this bound.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(kept.truncated).toBe(true);
    expect(JSON.stringify(kept.payload).length).toBeLessThanOrEqual(KEPT_PAYLOAD_BYTES);
  });

  it.each([
    ['a JSON number with the trunk prefix', { number: 89261234567 }],
    ['spaced dashes', { note: 'call 8 (926) 123 - 45 - 67' }],
    ['slashes', { note: '8/926/123/45/67' }],
    ['full-width digits', { note: 'tel ８９２６１２３４５６７' }],
    ['Arabic-Indic digits', { note: 'tel ٨٩٢٦١٢٣٤٥٦٧' }],
    ['a date just before it', { note: '12.05.2026 89261234567' }],
  ])('never keeps the contact’s number written with %s', (_, payload) => {
    expect(textOf(payload)).not.toMatch(/926\D{0,3}123/);
    expect(textOf(payload)).toContain('4567');
  });

  it('masks a number with a date-like group, and keeps a real date', () => {
    const text = textOf({ note: 'office +49 30 1234-56-78', at: '2026-12-01 10:00:00' });

    expect(text).not.toContain('1234-56');
    expect(text).toContain('2026-12-01 10:00:00');
  });

  it.each([
    'accesstoken',
    'clientsecret',
    'XAPIKEY',
    'apitoken',
    'authtoken',
    'bearer',
    'jwt',
    'passphrase',
    'privatekey',
  ])('keeps no value of a field named %s', (name) => {
    expect(textOf({ [name]: 'sk_live_hidden' })).not.toContain('sk_live_hidden');
  });

  it('keeps no secret of a header list’s entry, nor a secret query parameter in a URL', () => {
    const text = textOf({
      headers: [
        { name: 'Authorization', value: 'Bearer sk_live_hidden' },
        { name: 'Accept', value: 'application/json' },
      ],
      callback: 'https://shop.example/cb?order=7&token=sk_live_hidden2',
    });

    expect(text).not.toContain('sk_live_hidden');
    expect(text).toContain('application/json');
    expect(text).toContain('order=7&token=***');
  });
});

describe('A kept payload’s lines', () => {
  it('are its indented JSON, the fields the route read marked, and what is inside them', () => {
    const lines = payloadLines({ a: 1, customer: { phone: '*1', tags: ['x'] } }, [
      { path: ['customer'], as: ['call'] },
      { path: ['customer', 'phone'], as: ['contact'] },
    ]);
    expect(lines.map((line) => `${'  '.repeat(line.depth)}${line.text}`).join('\n')).toBe(
      JSON.stringify({ a: 1, customer: { phone: '*1', tags: ['x'] } }, null, 2),
    );
    expect(lines.map((line) => [line.read, line.highlighted])).toEqual([
      [[], false],
      [[], false],
      [['call'], true],
      [['contact'], true],
      [[], true],
      [[], true],
      [[], true],
      [[], true],
      [[], false],
    ]);
  });
});

describe('Ingest keeps the payload of the calls it creates', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  const request = (body: Record<string, unknown>) => ({
    headers: { 'content-type': 'application/json' },
    query: {},
    body: Buffer.from(JSON.stringify(body)),
  });
  const order = { order: { id: '7' }, status: 'paid', customer: { phone: '+79261234567' } };

  it('once, for a new call, masked; not for its repeat, nor for a skipped event', async () => {
    const deps = memoryIngestDeps(config, now);

    const first = await acceptWebhook(deps, 'orders', request(order));
    await acceptWebhook(deps, 'orders', request({ ...order, note: 'again' }));
    const skipped = await acceptWebhook(
      deps,
      'orders',
      request({ order: { id: '8' }, status: 'paid', customer: { phone: 'no number' } }),
    );

    expect(first.statusCode).toBe(202);
    expect(skipped.body).toMatchObject({ status: 'skipped' });
    const callId = String((first.body as { call_id: string }).call_id);
    expect([...deps.keptEvents.kept.keys()]).toEqual([callId]);
    expect(deps.keptEvents.kept.get(callId)?.payload).toEqual({
      ...order,
      customer: { phone: '*******4567' },
    });
  });

  it('keeps nothing for a route with keep_event false, and still stores and queues the call', async () => {
    const quiet = demoConfig({ orders: { ...config.routes.orders, keep_event: false } });
    const deps = memoryIngestDeps(quiet, now);

    const answer = await acceptWebhook(deps, 'orders', request(order));

    expect(answer.statusCode).toBe(202);
    expect(deps.sent).toHaveLength(1);
    expect(deps.keptEvents.kept.size).toBe(0);
  });

  it('answers 202 when the payload cannot be kept, and logs no more than the error’s name', async () => {
    const deps = memoryIngestDeps(config, now);
    const logged: unknown[] = [];
    deps.logger.warn = ((...args: unknown[]) => void logged.push(args)) as typeof deps.logger.warn;
    deps.keptEvents.keep = async () => {
      throw new TypeError(`refused ${CONTACT}`);
    };

    const answer = await acceptWebhook(deps, 'orders', request(order));

    expect(answer.statusCode).toBe(202);
    expect(deps.sent).toHaveLength(1);
    expect(logged).toEqual([
      [
        'could not keep the event payload',
        { call_id: (answer.body as { call_id: string }).call_id, error: 'TypeError' },
      ],
    ]);
  });
});

describe('What keeping an event costs, as docs/operating.md says', () => {
  it('one write unit for the sample of every preset, and for a 7 KB order cut at 4 KiB', async () => {
    const sizes = await measureKeptEventSize();

    expect(sizes.filter((size) => size.write_units !== 1)).toEqual([]);
    const order = sizes.find((size) => size.sample.includes('Shopify order'));
    expect(order).toMatchObject({ truncated: true });
    expect(Math.round((order?.received ?? 0) / 1024)).toBe(7);
    expect(readFileSync('docs/operating.md', 'utf8')).toContain(
      'The sample of every preset, and a 7 KB Shopify order cut at 4 KiB, each make an\n  item under 1 KB: one write unit',
    );
  });
});
