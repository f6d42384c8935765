import { inflateRawSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../shared/adapters/dynamodb/tables.ts';
import { KEPT_PAYLOAD_BYTES } from '../../shared/calls/kept-event.ts';
import { parseConfig } from '../../shared/config/load.ts';
import { startClockedRuntime } from '../support/clocked-runtime.ts';
import { DEMO_ACCOUNT } from '../support/configs.ts';
import { waitForStatus } from '../support/http.ts';
import { createContractChecker, readOpenApi } from '../support/openapi.ts';
import { ADMIN_KEY, type TestRuntime } from '../support/runtime.ts';

/*
 * The operator's day through the admin API: find a call by the sender's key, by the full number
 * and by its id; see how it ended and what it said; call it again; act on many at once. Against
 * the local runtime with the simulator's Call API and Data API on a clock the test moves.
 */

const contract = createContractChecker(readOpenApi());
const MINUTE = 60_000;
/** Past the simulated call's minute and the first look at its report. */
const UNTIL_REPORTED = 2 * MINUTE + 5_000;

const config = parseConfig(
  {
    accounts: { demo: { ...DEMO_ACCOUNT, data_api: { secret: 'demo/dataapi' } } },
    routes: {
      callback: {
        account: 'demo',
        auth: { type: 'token', secret: 'demo/hook-token' },
        idempotency_key: 'order_id',
        call: {
          method: 'start.informer_call',
          contact: 'phone',
          contact_message: { type: 'tts', value: '"Your order " & order_id & " is ready."' },
        },
      },
      redialling: {
        account: 'demo',
        auth: { type: 'token', secret: 'demo/hook-token' },
        call: {
          method: 'start.informer_call',
          contact: 'phone',
          contact_message: { type: 'tts', value: '"Hello"' },
        },
        redial: { on: ['no_answer'], max: 1, after_minutes: 10 },
      },
    },
    per_number_daily_limit: 3,
  },
  'operator day test',
);

interface Sent {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: a JSON answer, read by each test as it expects
  body: any;
}

describe('The operator’s day, through the admin API', () => {
  let rt: TestRuntime;
  let clocked: Awaited<ReturnType<typeof startClockedRuntime>>;
  const ids = { order: '', talked: '', other: '', raced: '' };

  /** A request to the runtime, its answer held to the OpenAPI description of `template`. */
  const send = async (
    method: 'GET' | 'POST',
    template: string,
    path: string,
    body?: unknown,
  ): Promise<Sent> => {
    const response = await fetch(`${rt.bridgeUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_KEY}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    expect(
      contract.check(method, template, {
        status: response.status,
        headers: response.headers,
        text,
      }),
    ).toEqual([]);
    return { status: response.status, headers: response.headers, body: JSON.parse(text) };
  };

  const accept = async (route: string, phone: string, orderId: string): Promise<string> => {
    const response = await fetch(`${rt.bridgeUrl}/hooks/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-callhook-token': 'test-hook-token' },
      body: JSON.stringify({ phone, order_id: orderId }),
    });
    expect(response.status).toBe(202);
    return String(((await response.json()) as { call_id: string }).call_id);
  };

  beforeAll(async () => {
    clocked = await startClockedRuntime(config);
    rt = clocked.rt;
    rt.simulator.setOutcome({ contact: '79260001042', fate: 'no_answer', times: 1 });
    rt.simulator.setOutcome({ contact: '79260001043', fate: 'talked', times: 1 });
    rt.simulator.setOutcome({ contact: '79260002042', fate: 'busy' });
    ids.order = await accept('callback', '+7 926 000-10-42', '1042');
    ids.talked = await accept('callback', '+79260001043', '1043');
    ids.other = await accept('callback', '+79260002042', '2042');
    rt.simulator.setOutcome({ contact: '79260004042', fate: 'operator_missed', times: 1 });
    ids.raced = await accept('callback', '+79260004042', '4042');
    await clocked.sweep();
    clocked.advance(UNTIL_REPORTED);
    await clocked.sweep();
  }, 60_000);
  afterAll(() => rt?.stop());

  it('finds the call of order 1042 by its key, and shows how it ended and what it said', async () => {
    const found = await send('GET', '/calls', '/calls?route=callback&key=1042');
    expect(found.body.items).toEqual([
      expect.objectContaining({
        call_id: ids.order,
        status: 'completed',
        event_key: '1042',
        result: 'no_answer',
      }),
    ]);

    const detail = await send('GET', '/calls/{call_id}', `/calls/${ids.order}`);
    expect(detail.body).toMatchObject({
      key_source: 'route',
      request: {
        method: 'start.informer_call',
        params: {
          contact: '*******1042',
          contact_message: { type: 'tts', value: 'Your order 1042 is ready.' },
        },
      },
    });
    // The full number is nowhere in the answer.
    expect(JSON.stringify(detail.body)).not.toContain('79260001042');
    const talked = await send('GET', '/calls/{call_id}', `/calls/${ids.talked}`);
    expect(talked.body).toMatchObject({ result: 'talked', talk_s: expect.any(Number) });
  });

  it('keeps the event a call was made for beside its record: masked, capped, its read fields named', async () => {
    const secret = 'sk_live_NEVER_SHOWN';
    const numbers = ['9260005042', '9261112233', '9263334455', '4111111111111111'];
    const body = JSON.stringify({
      phone: '+7 926 000-50-42',
      order_id: '5042',
      customer: {
        name: 'Anna',
        email: 'anna@example.com',
        mobile: '+7 926 111 22 33',
        whatsapp: 79261112233,
      },
      note: 'or call 8 (926) 333-44-55 after six',
      api_key: secret,
      password: secret,
      card: { number: '4111111111111111', cvv: '123' },
      lines: Array.from({ length: 150 }, (_, i) => ({ sku: `SKU-${i}`, title: 'Green tea' })),
    });
    const accepted = await fetch(`${rt.bridgeUrl}/hooks/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-callhook-token': 'test-hook-token' },
      body,
    });
    expect(accepted.status).toBe(202);
    const id = String(((await accepted.json()) as { call_id: string }).call_id);

    const event = await send('GET', '/calls/{call_id}/event', `/calls/${id}/event`);
    expect(event.body).toMatchObject({
      call_id: id,
      truncated: true,
      received_bytes: Buffer.byteLength(body),
      payload: {
        phone: '*******5042',
        order_id: '5042',
        customer: {
          name: 'Anna',
          email: 'a***@example.com',
          mobile: '*******2233',
          whatsapp: '*******2233',
        },
        note: 'or call *******4455 after six',
        api_key: '***',
        password: '***',
        card: '***',
      },
      read: [
        { path: ['phone'], as: ['contact'] },
        { path: ['order_id'], as: ['key', 'call'] },
      ],
    });
    expect(Buffer.byteLength(JSON.stringify(event.body.payload))).toBeLessThanOrEqual(
      KEPT_PAYLOAD_BYTES,
    );

    // As stored: an item of its own, with no attribute any index or the list reads, expiring
    // with its call, compressed under the 1 KB of one write unit, and already masked.
    const client = DynamoDBDocumentClient.from(new DynamoDBClient(rt.dynamoClientConfig));
    const get = (key: string) =>
      client.send(new GetCommand({ TableName: TABLES.calls.defaultName, Key: { call_id: key } }));
    const [item, record] = [(await get(`${id}#event`)).Item, (await get(id)).Item];
    client.destroy();
    expect(Object.keys(item ?? {}).sort()).toEqual(['call_id', 'event', 'expires_at']);
    expect(item?.expires_at).toBe(record?.expires_at);
    const blob = item?.event as Uint8Array;
    expect(blob).toBeInstanceOf(Uint8Array);
    expect(blob.length).toBeLessThan(1_000);
    const stored = inflateRawSync(blob).toString('utf8');
    for (const text of [stored, JSON.stringify(event.body)]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain('anna@');
      // No run of digits and the marks numbers are written with holds a full number.
      const runs = (text.match(/[\d\s().+-]{7,}/g) ?? []).map((run) => run.replace(/\D/g, ''));
      for (const number of numbers) expect(runs.filter((run) => run.includes(number))).toEqual([]);
    }

    const listed = await send('GET', '/calls', '/calls?route=callback&key=5042');
    expect(listed.body.items.map((call: { call_id: string }) => call.call_id)).toEqual([id]);
    const absent = await send('GET', '/calls/{call_id}/event', `/calls/c_${'0'.repeat(32)}/event`);
    expect(absent).toMatchObject({ status: 404, body: { code: 'call_not_found' } });
  });

  it('filters by how calls ended', async () => {
    const idsOf = (sent: Sent) => sent.body.items.map((call: { call_id: string }) => call.call_id);
    const noAnswer = await send('GET', '/calls', '/calls?result=no_answer');
    expect(idsOf(noAnswer)).toEqual([ids.order]);
    const missed = await send('GET', '/calls', '/calls?result=no_answer,busy');
    expect(idsOf(missed)).toEqual([ids.other, ids.order]);
    const talked = await send('GET', '/calls', '/calls?result=talked');
    expect(talked.body.items.map((call: { call_id: string }) => call.call_id)).toEqual([
      ids.talked,
    ]);
    const bad = await send('GET', '/calls', '/calls?result=hung_up');
    expect(bad).toMatchObject({ status: 400, body: { parameter: 'result' } });
  });

  it('finds the calls to a full number sent in the body, never another number’s', async () => {
    const found = await send('POST', '/calls/search', '/calls/search', {
      contact: '+7 (926) 000-10-42',
    });
    // 79260002042 ends in the same 4 digits: compared in full, it is not this number's.
    expect(found.body).toEqual({
      items: [expect.objectContaining({ call_id: ids.order })],
      next_cursor: null,
    });
    const none = await send('POST', '/calls/search', '/calls/search', { contact: '+79260009999' });
    expect(none.body.items).toEqual([]);
    const notANumber = await send('POST', '/calls/search', '/calls/search', { contact: 'bob' });
    expect(notANumber).toMatchObject({ status: 400, body: { code: 'invalid_filter' } });
    const notJson = await send('POST', '/calls/search', '/calls/search', '{');
    expect(notJson).toMatchObject({ status: 400, body: { code: 'malformed_body' } });
    const unauthorized = await fetch(`${rt.bridgeUrl}/calls/search`, { method: 'POST' });
    expect(unauthorized.status).toBe(401);
  });

  it('lists the configured routes for the picker', async () => {
    const routes = await send('GET', '/routes', '/routes');
    expect(routes.body.routes).toEqual([
      expect.objectContaining({ name: 'callback', redials: false, sender: 'token' }),
      expect.objectContaining({ name: 'redialling', redials: true, redial_max: 1 }),
    ]);
    expect(await send('GET', '/routes', '/routes?x=1')).toMatchObject({
      status: 400,
      body: { parameter: 'x' },
    });
  });

  it('calls a call that did not reach the customer again: one attempt, counted by the cap', async () => {
    const preview = await send('GET', '/calls/{call_id}/again', `/calls/${ids.order}/again`);
    expect(preview.body).toMatchObject({
      allowed: true,
      talked: false,
      contact: '*******1042',
      calls_today: [{ call_id: ids.order, attempt: 1 }],
      daily_limit: 3,
    });

    const again = await send('POST', '/calls/{call_id}/again', `/calls/${ids.order}/again`);
    expect(again.body).toMatchObject({ status: 'queued', attempt: 2 });
    await clocked.sweep();
    const placed = rt.simulator.calls().map((call) => call.params.external_id);
    expect(placed).toContain(`${ids.order}-2`);
    const after = await send('GET', '/calls/{call_id}/again', `/calls/${ids.order}/again`);
    expect(after.body.calls_today.map((entry: { attempt: number }) => entry.attempt)).toEqual([
      1, 2,
    ]);
    // Not completed any more: refused until it is.
    const twice = await send('POST', '/calls/{call_id}/again', `/calls/${ids.order}/again`);
    expect(twice).toMatchObject({ status: 409, body: { code: 'not_callable_again' } });
  });

  it('makes one attempt of two operators’ call again at once, and the cap counts it once', async () => {
    const path = `/calls/${ids.raced}/again`;
    const answers = await Promise.all([
      send('POST', '/calls/{call_id}/again', path),
      send('POST', '/calls/{call_id}/again', path),
    ]);

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const preview = await send('GET', '/calls/{call_id}/again', path);
    // The loser's refusal did not give back the winner's charge.
    expect(preview.body.calls_today.map((entry: { attempt: number }) => entry.attempt)).toEqual([
      1, 2,
    ]);
  });

  it('refuses to call a customer who talked unless confirmed twice', async () => {
    const path = `/calls/${ids.talked}/again`;
    const refused = await send('POST', '/calls/{call_id}/again', path);
    expect(refused).toMatchObject({
      status: 409,
      body: { code: 'not_callable_again', talked: true, call_status: 'completed' },
    });
    const bad = await send('POST', '/calls/{call_id}/again', path, { confirm_talked: 'yes' });
    expect(bad).toMatchObject({ status: 400, body: { parameter: 'confirm_talked' } });
    const confirmed = await send('POST', '/calls/{call_id}/again', path, { confirm_talked: true });
    expect(confirmed.body).toMatchObject({ status: 'queued', attempt: 2 });
    expect(
      await send('GET', '/calls/{call_id}/again', `/calls/c_${'0'.repeat(32)}/again`),
    ).toMatchObject({ status: 404 });
  });

  it('holds call again to the per-number cap', async () => {
    // The third number's calls: its event, then calls again until the cap of 3 is reached.
    const id = ids.other;
    for (let i = 0; i < 2; i++) {
      await clocked.sweep();
      clocked.advance(UNTIL_REPORTED);
      await clocked.sweep();
      expect((await send('GET', '/calls/{call_id}', `/calls/${id}`)).body.status).toBe('completed');
      const again = await send('POST', '/calls/{call_id}/again', `/calls/${id}/again`);
      expect(again.status).toBe(200);
    }
    await clocked.sweep();
    clocked.advance(UNTIL_REPORTED);
    await clocked.sweep();
    const capped = await send('POST', '/calls/{call_id}/again', `/calls/${id}/again`);
    expect(capped).toMatchObject({ status: 429, body: { code: 'contact_rate_limited' } });
    expect(Number(capped.headers.get('retry-after'))).toBeGreaterThan(0);
    // Refused, it was not charged, nor written.
    const preview = await send('GET', '/calls/{call_id}/again', `/calls/${id}/again`);
    expect(preview.body.calls_today).toHaveLength(3);
    expect(preview.body).toMatchObject({ status: 'completed', allowed: false });
  });

  it('acts on many calls at once, after a dry run that changes nothing', async () => {
    const a = await accept('redialling', '+79260003001', 'b1');
    const b = await accept('redialling', '+79260003002', 'b2');
    // Placed (ringing, the simulator's minute not over): a dispatcher holds neither any more.
    for (const id of [a, b]) await waitForStatus(rt.bridgeUrl, id, 'placed');
    const body = { action: 'cancel', call_ids: [a, b, ids.talked], dry_run: true };
    const dry = await send('POST', '/calls/bulk', '/calls/bulk', body);
    expect(dry.body).toMatchObject({ dry_run: true, named: 3 });
    const applicable = dry.body.done.map((entry: { call_id: string }) => entry.call_id);
    expect(applicable).toEqual(expect.arrayContaining([a, b]));
    for (const id of [a, b]) {
      expect((await send('GET', '/calls/{call_id}', `/calls/${id}`)).body.status).not.toBe(
        'cancelled',
      );
    }

    const done = await send('POST', '/calls/bulk', '/calls/bulk', { ...body, dry_run: false });
    expect(done.body.done).toEqual(
      expect.arrayContaining([
        { call_id: a, status: 'cancelled' },
        { call_id: b, status: 'cancelled' },
      ]),
    );
    const bad = await send('POST', '/calls/bulk', '/calls/bulk', {
      action: 'delete',
      call_ids: [a],
    });
    expect(bad).toMatchObject({ status: 400, body: { parameter: 'action' } });
    const unauthorized = await fetch(`${rt.bridgeUrl}/calls/bulk`, { method: 'POST' });
    expect(unauthorized.status).toBe(401);
  });
});
