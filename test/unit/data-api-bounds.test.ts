import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataApiClient } from '../../shared/backends/callapi/data-api/client.ts';
import { DataApiError } from '../../shared/backends/callapi/data-api/data-api-error.ts';
import { outcomeOf } from '../../shared/backends/callapi/data-api/outcome-of.ts';
import {
  DataApiReports,
  LegRow,
  SessionRow,
} from '../../shared/backends/callapi/data-api/reports.ts';
import { UNREADABLE_REPLY } from '../../shared/backends/unreadable-reply.ts';
import { MAX_CALL_SECONDS } from '../../shared/validation/provider-numbers.ts';
import { type JsonRpcStub, startJsonRpcStub } from '../support/json-rpc-stub.ts';

const CONTACT = '79260000006';

/** A session row as the report's JSON text gives it, with `fields` (JSON text) replacing any. */
const sessionText = (fields: Record<string, string> = {}): string => {
  const row: Record<string, string> = {
    id: '7',
    start_time: '"2026-03-02 13:00:00"',
    finish_time: '"2026-03-02 13:01:30"',
    finish_reason: '"subscriber_disconnects"',
    wait_duration: '12',
    talk_duration: '61',
    total_duration: '90',
    contact_phone_number: `"${CONTACT}"`,
    call_api_external_id: '"c_1"',
    ...fields,
  };
  return `{${Object.entries(row)
    .map(([name, value]) => `"${name}": ${value}`)
    .join(', ')}}`;
};

const legText = (fields: Record<string, string> = {}): string => {
  const row: Record<string, string> = {
    id: '71',
    call_session_id: '7',
    duration: '61',
    calling_phone_number: `"${CONTACT}"`,
    is_operator: 'false',
    is_talked: 'true',
    ...fields,
  };
  return `{${Object.entries(row)
    .map(([name, value]) => `"${name}": ${value}`)
    .join(', ')}}`;
};

const OUT_OF_RANGE_SECONDS = [
  ['just past 7 days', `${MAX_CALL_SECONDS + 1}`],
  ['negative', '-1'],
  ['1e300', '1e300'],
  ['past the float range', '1e400'],
  ['quoted', '"61"'],
] as const;

const OUT_OF_RANGE_IDS = [
  ['zero', '0'],
  ['negative', '-7'],
  ['fractional', '7.5'],
  ['beyond 2^53', '9007199254740993'],
  ['1e300', '1e300'],
  ['past the float range', '1e400'],
] as const;

describe('Schemas: SessionRow and LegRow (the ranges of a report)', () => {
  it.each(['wait_duration', 'talk_duration', 'total_duration'])(
    'reads %s from 0 to 7 days, whole seconds',
    (field) => {
      for (const seconds of [0, 1, MAX_CALL_SECONDS]) {
        const parsed = SessionRow.safeParse(JSON.parse(sessionText({ [field]: `${seconds}` })));
        expect(parsed.success && parsed.data[field as 'talk_duration']).toBe(seconds);
      }
    },
  );

  it('rounds a fractional duration to the whole seconds callhook keeps', () => {
    const parsed = SessionRow.parse(
      JSON.parse(sessionText({ talk_duration: '61.4', wait_duration: '1e-200' })),
    );

    expect(parsed).toMatchObject({ talk_duration: 61, wait_duration: 0 });
  });

  it('reads absent or null durations as absent', () => {
    const parsed = SessionRow.parse(JSON.parse(sessionText({ talk_duration: 'null' })));

    expect(parsed.talk_duration).toBeNull();
  });

  it.each(
    ['wait_duration', 'talk_duration', 'total_duration'].flatMap((field) =>
      OUT_OF_RANGE_SECONDS.map(([why, text]) => [field, why, text] as const),
    ),
  )('refuses a session whose %s is %s', (field, _, text) => {
    expect(SessionRow.safeParse(JSON.parse(sessionText({ [field]: text }))).success).toBe(false);
  });

  it.each(OUT_OF_RANGE_SECONDS)('refuses a leg whose duration is %s', (_, text) => {
    expect(LegRow.safeParse(JSON.parse(legText({ duration: text }))).success).toBe(false);
  });

  it.each([1, Number.MAX_SAFE_INTEGER])('reads the id %d', (id) => {
    expect(SessionRow.parse(JSON.parse(sessionText({ id: `${id}` }))).id).toBe(id);
    expect(
      LegRow.parse(JSON.parse(legText({ id: `${id}`, call_session_id: `${id}` }))),
    ).toMatchObject({ id, call_session_id: id });
  });

  it.each(OUT_OF_RANGE_IDS)('refuses an id that is %s', (_, text) => {
    expect(SessionRow.safeParse(JSON.parse(sessionText({ id: text }))).success).toBe(false);
    expect(LegRow.safeParse(JSON.parse(legText({ id: text }))).success).toBe(false);
    expect(LegRow.safeParse(JSON.parse(legText({ call_session_id: text }))).success).toBe(false);
  });
});

describe('Class: DataApiClient (a reply out of range)', () => {
  let stub: JsonRpcStub;
  const window = {
    from: new Date('2026-03-02T09:00:00.000Z'),
    till: new Date('2026-03-02T11:00:00.000Z'),
  };
  const reports = () =>
    new DataApiReports(new DataApiClient({ endpoint: new URL(`${stub.url}/v2.0`) }), 'data-key');
  const replying = (data: string, metadata = '{}') =>
    stub.answer(
      (id) => `{"jsonrpc":"2.0","id":"${id}","result":{"data":${data},"metadata":${metadata}}}`,
    );
  const failureOf = async (promise: Promise<unknown>): Promise<DataApiError> => {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!(error instanceof DataApiError)) throw new Error(`expected a DataApiError: ${error}`);
    return error;
  };

  beforeAll(async () => {
    stub = await startJsonRpcStub();
  });
  afterAll(async () => {
    await stub.close();
  });

  it('reads a session in range, with its limits', async () => {
    replying(`[${sessionText()}]`, '{"limits":{"minute_remaining":2,"minute_reset":30}}');

    const reply = await reports().session({ sessionId: 7 }, window);

    expect(reply.data).toMatchObject({ id: 7, talk_duration: 61, total_duration: 90 });
    expect(reply.limits?.minuteRemaining).toBe(2);
  });

  it.each([
    ['talk_duration', '1e300'],
    ['wait_duration', '-1'],
    ['total_duration', `${MAX_CALL_SECONDS + 1}`],
    ['id', '1e300'],
  ])(
    'refuses get.calls_report with %s %s as an ambiguous unreadable reply',
    async (field, text) => {
      replying(
        `[${sessionText({ [field]: text })}]`,
        '{"limits":{"minute_remaining":2,"minute_reset":30}}',
      );

      const error = await failureOf(reports().session({ sessionId: 7 }, window));

      expect(error).toMatchObject({
        name: 'DataApiError',
        classification: 'ambiguous',
        mnemonic: UNREADABLE_REPLY,
        field: `result.data[0].${field}`,
      });
      expect(error.message).toMatch(
        new RegExp(`^get\\.calls_report: unreadable reply: result\\.data\\[0\\]\\.${field}: `),
      );
      expect(error.message).not.toContain(CONTACT);
      // The reply's limits are still the key's budget.
      expect(error.limits?.minuteRemaining).toBe(2);
    },
  );

  it.each([
    ['duration', '1e300'],
    ['id', '0'],
    ['call_session_id', '-7'],
  ])(
    'refuses get.call_legs_report with %s %s as an ambiguous unreadable reply',
    async (field, text) => {
      replying(`[${legText()}, ${legText({ [field]: text })}]`);

      const error = await failureOf(reports().legs(7, window));

      expect(error).toMatchObject({
        classification: 'ambiguous',
        mnemonic: UNREADABLE_REPLY,
        field: `result.data[1].${field}`,
      });
      expect(error.message).not.toContain(CONTACT);
    },
  );

  it('keeps its classification for a result of the wrong shape, now named', async () => {
    replying('{"not": "a list"}');

    const error = await failureOf(reports().legs(7, window));

    expect(error).toMatchObject({
      classification: 'ambiguous',
      mnemonic: UNREADABLE_REPLY,
      field: 'result.data',
    });
  });

  it.each(['1e300', '-1', '1.5'])('leaves out a total_items of %s', async (text) => {
    replying(`[${legText()}]`, `{"total_items": ${text}}`);

    const reply = await reports().legs(7, window);

    expect(reply.totalItems).toBeUndefined();
    expect(reply.data).toHaveLength(1);
  });

  it('refuses an error whose code is out of range as unreadable, not as a stored code', async () => {
    stub.answer(
      (id) =>
        `{"jsonrpc":"2.0","id":"${id}","error":{"code":1e300,"message":"Limit exceeded","data":{"mnemonic":"limit_exceeded"}}}`,
    );

    const error = await failureOf(reports().legs(7, window));

    expect(error).toMatchObject({
      classification: 'ambiguous',
      mnemonic: UNREADABLE_REPLY,
      field: 'error.code',
      code: undefined,
    });
  });

  it('reads a -32029 refusal with an absurd reset as a limit without that reset', async () => {
    stub.answer(
      (id) =>
        `{"jsonrpc":"2.0","id":"${id}","error":{"code":-32029,"message":"Limit exceeded","data":{"mnemonic":"limit_exceeded","metadata":{"limits":{"minute_remaining":0,"minute_reset":1e20,"day_reset":-5}}}}}`,
    );

    const error = await failureOf(reports().legs(7, window));

    expect(error).toMatchObject({ classification: 'limit', code: -32029 });
    expect(error.limits).toEqual({ observedAt: expect.any(Date), minuteRemaining: 0 });
  });
});

describe('Function: outcomeOf (times too far apart)', () => {
  it('takes total_duration when the finish is more than 7 days after the start', () => {
    const session = SessionRow.parse(
      JSON.parse(sessionText({ finish_time: '"9999-12-31 23:59:59"', total_duration: '90' })),
    );

    const outcome = outcomeOf(session, [], new Date('2026-03-02T10:00:02.000Z'));

    expect(outcome.ended_at).toBe('2026-03-02T10:01:32.000Z');
  });

  it('never writes an invalid date, even for a finish past what a Date holds', () => {
    const session = SessionRow.parse(
      JSON.parse(sessionText({ finish_time: '"+275760-09-13 00:00:00"', total_duration: '90' })),
    );

    expect(() => outcomeOf(session, [], new Date('2026-03-02T10:00:02.000Z'))).not.toThrow();
  });
});
