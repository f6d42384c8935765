import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../infra/local/simulator/simulator.ts';

const VIRTUAL = '74993720692';

// biome-ignore lint/suspicious/noExplicitAny: replies are inspected field by field with expect.
type Reply = Record<string, any>;

/** The simulator's Data API (`POST /v2.0`) and how its calls end, over HTTP. */
describe('Call API simulator: the Data API and how calls end', () => {
  let simulator: RunningSimulator;
  let clock = Date.parse('2026-03-02T10:00:00.000Z');

  beforeAll(async () => {
    simulator = await startSimulator({
      keys: { 'call-key': 'valid' },
      virtualNumbers: [VIRTUAL],
      callDurationMs: 60_000,
      dataApi: { keys: { 'data-key': 'valid' } },
      now: () => clock,
    });
  });
  afterAll(() => simulator.close());
  beforeEach(() => {
    clock += 3_600_000;
    simulator.reset();
  });

  const post = async (path: string, body: unknown, contentType = 'application/json') => {
    const response = await fetch(`${simulator.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Reply };
  };
  const call = async (method: 'start.simple_call' | 'start.informer_call', contact: string) => {
    const params =
      method === 'start.simple_call'
        ? { first_call: 'operator', operator: '74951234567' }
        : { contact_message: { type: 'tts', value: 'Hi' } };
    const { body } = await post('/v4.0', {
      jsonrpc: '2.0',
      id: 1,
      method,
      params: { access_token: 'call-key', virtual_phone_number: VIRTUAL, contact, ...params },
    });
    return body.result.data.call_session_id as number;
  };
  /** The span around the test's clock, in Moscow time as the reports read it. */
  const span = () => {
    const local = (ms: number) =>
      new Date(ms + 3 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    return { date_from: local(clock - 3_600_000), date_till: local(clock + 3_600_000) };
  };
  const report = (method: string, params: Record<string, unknown>) =>
    post('/v2.0', {
      jsonrpc: '2.0',
      id: 'r1',
      method,
      params: { access_token: 'data-key', ...span(), ...params },
    });
  const session = async (id: number) =>
    (await report('get.calls_report', { filter: { field: 'id', operator: '=', value: id } })).body
      .result.data[0];
  const legs = async (id: number) =>
    (
      await report('get.call_legs_report', {
        filter: { field: 'call_session_id', operator: '=', value: id },
        fields: ['is_operator', 'is_talked', 'finish_reason', 'duration'],
      })
    ).body.result.data;

  it.each([
    [
      '0',
      'subscriber_disconnects',
      false,
      [
        [true, true],
        [false, true],
      ],
    ],
    [
      '5',
      'subscriber_disconnects',
      false,
      [
        [true, true],
        [false, true],
      ],
    ],
    [
      '6',
      'subscriber_not_responsible',
      true,
      [
        [true, false],
        [false, false],
      ],
    ],
    [
      '7',
      'subscriber_busy',
      true,
      [
        [true, false],
        [false, false],
      ],
    ],
    ['8', 'operator_not_responsible', true, [[true, false]]],
    [
      '9',
      'subscriber_disconnects',
      true,
      [
        [true, false],
        [false, false],
      ],
    ],
  ])('ends a call to a number ending in %s with %s', async (digit, reason, lost, legShape) => {
    const id = await call('start.simple_call', `7926000000${digit}`);
    clock += 60_000;

    expect(await session(id)).toMatchObject({
      id,
      finish_reason: reason,
      is_lost: lost,
      total_duration: 60,
    });
    expect((await legs(id)).map((l: Reply) => [l.is_operator, l.is_talked])).toEqual(legShape);
  });

  it('reports a talked call with its wait and talk time, and the leg it talked on', async () => {
    const id = await call('start.simple_call', '79260000001');
    clock += 60_000;

    expect(await session(id)).toMatchObject({ wait_duration: 5, talk_duration: 55 });
    expect((await legs(id))[1]).toMatchObject({ is_talked: true, duration: 55 });
  });

  it('gives an informer call one leg, the customer’s', async () => {
    const id = await call('start.informer_call', '79260000002');
    clock += 60_000;

    expect(await legs(id)).toEqual([
      {
        is_operator: false,
        is_talked: true,
        finish_reason: 'subscriber_disconnects',
        duration: 55,
      },
    ]);
  });

  it('ends the next calls to a number as POST /_simulator/outcomes says, with its durations', async () => {
    const added = await post('/_simulator/outcomes', {
      contact: '79260000003',
      fate: 'busy',
      wait_s: 4,
      talk_s: 0,
      times: 1,
    });
    const busy = await call('start.simple_call', '79260000003');
    const next = await call('start.simple_call', '79260000003');
    clock += 4_000;

    expect(added.status).toBe(200);
    expect(await session(busy)).toMatchObject({
      finish_reason: 'subscriber_busy',
      total_duration: 4,
    });
    // Used up: the next call ends by its last digit, and lasts the call length.
    expect(await session(next)).toBeUndefined();
    clock += 60_000;
    expect(await session(next)).toMatchObject({ finish_reason: 'subscriber_disconnects' });
  });

  it('refuses a rule that is not one, and forgets the rules at reset', async () => {
    const refused = await post('/_simulator/outcomes', { fate: 'exploded' });
    await post('/_simulator/outcomes', { fate: 'no_answer' });
    await post('/_simulator/reset', {});
    const id = await call('start.simple_call', '79260000001');
    clock += 60_000;

    expect(refused.status).toBe(400);
    expect((await session(id)).finish_reason).toBe('subscriber_disconnects');
  });

  it('answers documented errors: a span over 3 months, an unknown parameter, a wrong content type', async () => {
    const tooLong = await report('get.calls_report', {
      date_from: '2026-01-01 00:00:00',
      date_till: '2026-06-01 00:00:00',
    });
    const unexpected = await report('get.calls_report', { colour: 'red' });
    const notJson = await post(
      '/v2.0',
      { jsonrpc: '2.0', id: 1, method: 'get.calls_report', params: {} },
      'text/plain',
    );

    expect(tooLong.body.error).toMatchObject({
      code: -32602,
      data: { mnemonic: 'date_interval_limit_reached' },
    });
    expect(unexpected.body.error).toMatchObject({
      code: -32602,
      data: { mnemonic: 'unexpected_parameters', field: 'colour' },
    });
    expect(notJson.body.error).toMatchObject({
      code: -32600,
      data: { mnemonic: 'invalid_request' },
    });
    // A refusal after the key was checked still reports the limits, inside error.data.
    expect(unexpected.body.error.data.metadata.limits).toMatchObject({ minute_limit: 600 });
  });

  it('leaves is_talked out of a leg unless asked for, as the report does', async () => {
    const id = await call('start.simple_call', '79260000001');
    clock += 60_000;

    const { body } = await report('get.call_legs_report', {
      filter: { field: 'call_session_id', operator: '=', value: id },
    });

    expect(body.result.data[0]).not.toHaveProperty('is_talked');
    expect(body.result.data[0]).toHaveProperty('is_operator', true);
    expect(body.result.metadata).toMatchObject({
      total_items: 2,
      limits: { minute_remaining: 599 },
    });
  });
});
