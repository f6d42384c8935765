import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallApiAccount } from '../../shared/backends/callapi/api/account.ts';
import { CallApiError } from '../../shared/backends/callapi/api/call-api-error.ts';
import { CallApiClient } from '../../shared/backends/callapi/api/client.ts';
import {
  ListCallsResult,
  LoginResult,
  StartCallResult,
} from '../../shared/backends/callapi/api/methods.ts';
import { UNREADABLE_REPLY, unreadableReply } from '../../shared/backends/unreadable-reply.ts';
import { ItemCount, MAX_EPOCH_MS, RpcErrorCode } from '../../shared/validation/provider-numbers.ts';
import * as z from '../../shared/validation/zod.ts';
import { type JsonRpcStub, startJsonRpcStub } from '../support/json-rpc-stub.ts';

const CONTACT = '79260000000';

const OUT_OF_RANGE_IDS = [
  ['zero', '0'],
  ['negative', '-1'],
  ['fractional', '237859081.5'],
  ['beyond 2^53', '9007199254740993'],
  ['1e300', '1e300'],
  ['past the float range', '1e400'],
  ['quoted', '"237859081"'],
] as const;

const parses = (schema: z.ZodMiniType, text: string) => schema.safeParse(JSON.parse(text)).success;

describe('Schemas: the Call API results (ranges)', () => {
  it.each([1, 237_859_081, Number.MAX_SAFE_INTEGER])('reads the session id %d', (id) => {
    expect(StartCallResult.parse({ data: { call_session_id: id } }).data.call_session_id).toBe(id);
  });

  it.each(OUT_OF_RANGE_IDS)('refuses a session id that is %s', (_, text) => {
    expect(parses(StartCallResult, `{"data": {"call_session_id": ${text}}}`)).toBe(false);
  });

  it('reads the ids of list.calls in range, and refuses one out of range', () => {
    const call = (legId: string, tagId = '456', employeeId = 'null') =>
      `{"data": [{"call_session_id": 206597836, "direction": "in",
        "start_time": "2016-10-19T12:26:48.418", "virtual_phone_number": "74951045771",
        "contact_phone_number": "${CONTACT}", "external_id": null,
        "tags": [{"tag_id": ${tagId}, "tag_name": "t"}],
        "legs": [{"leg_id": ${legId}, "calling_phone_number": "74951045771",
          "called_phone_number": "${CONTACT}", "is_operator": false, "employee_id": ${employeeId},
          "employee_full_name": null, "record_call_enabled": true, "state": "talk"}]}]}`;

    expect(parses(ListCallsResult, call('287866245'))).toBe(true);
    expect(parses(ListCallsResult, call('287866245', '456', '2345'))).toBe(true);
    expect(parses(ListCallsResult, call('1e300'))).toBe(false);
    expect(parses(ListCallsResult, call('287866245', '-1'))).toBe(false);
    expect(parses(ListCallsResult, call('287866245', '456', '0'))).toBe(false);
  });

  it.each([1_475_853_742, MAX_EPOCH_MS / 1000])('reads login.user expire_at %d', (expireAt) => {
    const result = LoginResult.parse({ data: { access_token: 't', expire_at: expireAt } });

    expect(result.data.expire_at).toBe(expireAt);
  });

  it.each([MAX_EPOCH_MS / 1000 + 1, -1, 1.5, 1e300, Infinity, '1475853742', undefined])(
    'reads login.user expire_at %s as absent (null): the session keeps its hour',
    (expireAt) => {
      const result = LoginResult.parse({ data: { access_token: 't', expire_at: expireAt } });

      expect(result.data).toEqual({ access_token: 't', expire_at: null });
    },
  );
});

describe('Schemas: an error code and a count (ranges)', () => {
  it.each([-32029, -32700, 2 ** 31 - 1, -(2 ** 31)])('reads the error code %d', (code) => {
    expect(RpcErrorCode.parse(code)).toBe(code);
  });

  it.each([2 ** 31, -(2 ** 31) - 1, -32029.5, 1e300, -1e300])(
    'refuses the error code %d',
    (code) => {
      expect(RpcErrorCode.safeParse(code).success).toBe(false);
    },
  );

  it.each([0, 1, Number.MAX_SAFE_INTEGER])('reads total_items %d', (count) => {
    expect(ItemCount.parse(count)).toBe(count);
  });

  it.each([-1, 1.5, 2 ** 53, 1e300])('refuses total_items %d', (count) => {
    expect(ItemCount.safeParse(count).success).toBe(false);
  });
});

describe('Function: unreadableReply', () => {
  it('names the field and the bound, never the value', () => {
    const parsed = z
      .object({ data: z.array(z.object({ n: z.int().check(z.maximum(5)) })) })
      .safeParse({ data: [{ n: 1 }, { n: 79260000000 }] });
    if (parsed.success) throw new Error('expected a failure');

    const init = unreadableReply('get.x', 'result', parsed.error);

    expect(init).toEqual({
      classification: 'ambiguous',
      mnemonic: UNREADABLE_REPLY,
      field: 'result.data[1].n',
      message: 'get.x: unreadable reply: result.data[1].n: Too big: expected number to be <=5',
    });
  });

  it('names the branch of a union that got as far as a check', () => {
    const parsed = z
      .union([z.int().check(z.minimum(1)), z.string().check(z.regex(/^\d+$/))])
      .safeParse(`${CONTACT}x`);
    if (parsed.success) throw new Error('expected a failure');

    expect(unreadableReply('m', 'reply', parsed.error).message).toBe(
      'm: unreadable reply: reply: Invalid string: must match pattern /^\\d+$/',
    );
  });

  it('does not quote the names of unexpected fields', () => {
    const parsed = z.strictObject({}).safeParse({ [CONTACT]: 1 });
    if (parsed.success) throw new Error('expected a failure');

    expect(unreadableReply('m', 'reply', parsed.error).message).not.toContain(CONTACT);
  });
});

describe('Class: CallApiClient (a reply out of range)', () => {
  let stub: JsonRpcStub;
  const client = () => new CallApiClient({ endpoint: new URL(`${stub.url}/v4.0`) });
  const call = () =>
    client().call(
      'start.simple_call',
      {
        first_call: 'operator',
        operator: '74951234567',
        virtual_phone_number: '74993720692',
        contact: CONTACT,
      },
      'key',
    );
  const failureOf = async (promise: Promise<unknown>): Promise<CallApiError> => {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!(error instanceof CallApiError)) throw new Error(`expected a CallApiError: ${error}`);
    return error;
  };
  const replying = (result: string, metadata = '{}') =>
    stub.answer((id) => `{"jsonrpc":"2.0","id":"${id}","result":${result},"metadata":${metadata}}`);

  beforeAll(async () => {
    stub = await startJsonRpcStub();
  });
  afterAll(async () => {
    await stub.close();
  });

  it('reads a session id in range', async () => {
    replying('{"data":{"call_session_id":237859081}}');

    const reply = await call();

    expect(reply.result.data.call_session_id).toBe(237_859_081);
  });

  it.each(OUT_OF_RANGE_IDS)(
    'refuses a session id that is %s as an ambiguous unreadable reply',
    async (_, text) => {
      replying(
        `{"data":{"call_session_id":${text}}}`,
        '{"limits":{"minute_remaining":5,"minute_reset":20}}',
      );

      const error = await failureOf(call());

      expect(error).toMatchObject({
        name: 'CallApiError',
        classification: 'ambiguous',
        mnemonic: UNREADABLE_REPLY,
        field: 'result.data.call_session_id',
        code: undefined,
      });
      expect(error.message).toMatch(
        /^start\.simple_call: unreadable reply: result\.data\.call_session_id: /,
      );
      expect(error.limits?.minuteRemaining).toBe(5);
    },
  );

  it('keeps the ambiguous class for a result of the wrong shape', async () => {
    replying('{"data":[]}');

    const error = await failureOf(call());

    expect(error).toMatchObject({
      classification: 'ambiguous',
      mnemonic: UNREADABLE_REPLY,
      field: 'result.data',
    });
  });

  it('refuses an error code outside 32 bits as unreadable (it would be stored)', async () => {
    stub.answer(
      (id) =>
        `{"jsonrpc":"2.0","id":"${id}","error":{"code":1e300,"message":"Contact ${CONTACT} is blacklisted","data":{"mnemonic":"contact_in_blacklist"}}}`,
    );

    const error = await failureOf(call());

    expect(error).toMatchObject({
      classification: 'ambiguous',
      mnemonic: UNREADABLE_REPLY,
      field: 'error.code',
      code: undefined,
    });
    expect(error.message).not.toContain(CONTACT);
  });

  it('reads -32029 with an absurd reset as a limit whose reset is unknown, never an invalid date', async () => {
    stub.answer(
      (id) =>
        `{"jsonrpc":"2.0","id":"${id}","error":{"code":-32029,"message":"Limit per minute has been exceeded","data":{"mnemonic":"limit_exceeded","params":{"limit_type":"minute"}}},"metadata":{"limits":{"minute_limit":600,"minute_remaining":0,"minute_reset":1e20,"day_reset":-1e400}}}`,
    );

    const error = await failureOf(call());

    expect(error).toMatchObject({ classification: 'limit', code: -32029 });
    expect(error.limits).toEqual({
      observedAt: expect.any(Date),
      minuteLimit: 600,
      minuteRemaining: 0,
    });
  });

  it('keeps a session whose expire_at is 1e300 for an hour, and calls with it', async () => {
    // Prepare
    let clock = Date.UTC(2026, 10, 24, 10);
    stub.answer((id, method) =>
      method === 'login.user'
        ? `{"jsonrpc":"2.0","id":"${id}","result":{"data":{"access_token":"session","expire_at":1e300}}}`
        : `{"jsonrpc":"2.0","id":"${id}","result":{"data":[]}}`,
    );
    stub.methods.length = 0;
    const account = new CallApiAccount(
      client(),
      { login: 'operator', password: 'secret' },
      () => new Date(clock),
    );

    // Act
    await account.call('list.calls', {});
    clock += 30 * 60_000;
    await account.call('list.calls', {});
    clock += 30 * 60_000;
    await account.call('list.calls', {});

    // Assess: a second login once the hour (less the renewal margin) has passed.
    expect(stub.methods).toEqual([
      'login.user',
      'list.calls',
      'list.calls',
      'login.user',
      'list.calls',
    ]);
  });
});
