import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../infra/local/simulator/simulator.ts';
import { docExamples } from '../support/callapi-examples.ts';

const VIRTUAL = '74993720692';

/** A reply read loosely: each test asserts the parts it names. */
// biome-ignore lint/suspicious/noExplicitAny: replies are inspected field by field with expect.
type RpcReply = Record<string, any>;
const TOKEN = 'valid-key';

describe('Call API simulator', () => {
  let simulator: RunningSimulator;

  beforeAll(async () => {
    simulator = await startSimulator({
      keys: { [TOKEN]: 'valid', 'old-key': 'expired', 'bad-key': 'blocked' },
      logins: { your_login: 'your_password' },
      virtualNumbers: [VIRTUAL, '74951045771'],
      numbersWithScenario: [VIRTUAL],
      scenarios: [23456],
      employees: { 25: '79260000001', 26: null },
      mediaFiles: [2701, 2561, 237],
      tags: { 36: 'Target' },
      blacklist: ['79990000000'],
      ttsMaxLength: 20,
      minuteLimit: 3,
    });
  });
  afterAll(() => simulator.close());
  beforeEach(() => simulator.reset());

  const post = async (body: string, contentType = 'application/json; charset=UTF-8') => {
    const response = await fetch(`${simulator.url}/v4.0`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });
    return (await response.json()) as RpcReply;
  };
  const rpc = (method: string, params: Record<string, unknown>, id: unknown = 'req1') =>
    post(JSON.stringify({ jsonrpc: '2.0', id, method, params }));

  const simpleCall = (extra: Record<string, unknown> = {}) => ({
    access_token: TOKEN,
    first_call: 'operator',
    virtual_phone_number: VIRTUAL,
    contact: '79260000000',
    operator: '79262444491',
    ...extra,
  });
  const informerCall = (extra: Record<string, unknown> = {}) => ({
    access_token: TOKEN,
    virtual_phone_number: VIRTUAL,
    contact: '79260000000',
    contact_message: { type: 'tts', value: 'Hi' },
    ...extra,
  });

  /** Sends a page's request example with our token (or session) in place of the page's. */
  const sendExample = async (
    page: string,
    adjust: (params: Record<string, unknown>) => void = () => {},
  ) => {
    const { request, reply: documentedReply } = await docExamples(page);
    const params = { ...(request?.params as Record<string, unknown>) };
    if ('access_token' in params) params.access_token = TOKEN;
    adjust(params);
    return { request, documentedReply, reply: await post(JSON.stringify({ ...request, params })) };
  };

  /** Keys of `data` (or of its first element, for lists), as a documented reply has them. */
  const dataKeys = (reply: RpcReply | undefined): string[] => {
    const data = reply?.result?.data;
    return Object.keys((Array.isArray(data) ? data[0] : data) ?? {}).sort();
  };

  describe.each([
    ['start.simple_call', 'create_call__start_simple_call'],
    ['start.informer_call', 'create_call__start_informer_call'],
    ['start.scenario_call', 'create_call__start_scenario_call'],
    ['start.vnumber_call', 'create_call__start_vnumber_call'],
    ['start.employee_call', 'create_call__start_employee_call'],
  ])('%s', (method, page) => {
    it('accepts the documented request example and answers in the documented shape', async () => {
      const { request, documentedReply, reply } = await sendExample(page);

      expect(request?.method).toBe(method);
      expect(reply).toMatchObject({ jsonrpc: '2.0', id: 'req1' });
      expect(dataKeys(reply)).toEqual(dataKeys(documentedReply));
      const logged = simulator.calls();
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({
        method,
        call_session_id: reply.result.data.call_session_id,
      });
      expect(logged[0]?.params).not.toHaveProperty('access_token');
    });
  });

  describe('call management and authentication examples', () => {
    const startCall = async (): Promise<number> =>
      (await rpc('start.informer_call', informerCall())).result.data.call_session_id;

    it.each([
      ['release.call', 'manage_call__release_call'],
      ['tag.call', 'manage_call__tag_call'],
    ])('%s accepts its example for an active call', async (_, page) => {
      const callSessionId = await startCall();

      const { reply, documentedReply } = await sendExample(page, (params) => {
        params.call_session_id = callSessionId;
      });

      expect(reply.result).toEqual(documentedReply?.result);
    });

    it('list.calls answers active calls in the documented shape', async () => {
      const callSessionId = await startCall();
      const { reply: documentedReply } = await docExamples('manage_call__list_calls');

      const reply = await rpc('list.calls', { access_token: TOKEN, direction: 'in' });

      expect(dataKeys(reply)).toEqual(dataKeys(documentedReply));
      expect(Object.keys(reply.result.data[0].legs[0]).sort()).toEqual(
        Object.keys(documentedReply?.result.data[0].legs[0]).sort(),
      );
      expect(reply.result.data).toEqual([
        expect.objectContaining({ call_session_id: callSessionId }),
      ]);
    });

    it('list.calls accepts its example', async () => {
      const { reply } = await sendExample('manage_call__list_calls');

      expect(reply.result.data).toEqual([]);
    });

    it('login.user accepts its example and the session works until logout.user', async () => {
      const { reply: login, documentedReply } = await sendExample('authentication__login_user');
      const session = login.result.data.access_token as string;

      const before = await rpc('list.calls', { access_token: session });
      const { reply: logout, documentedReply: documentedLogout } = await sendExample(
        'authentication__logout_user',
        (params) => {
          params.access_token = session;
        },
      );
      const after = await rpc('list.calls', { access_token: session });

      expect(dataKeys(login)).toEqual(dataKeys(documentedReply));
      expect(before.result.data).toEqual([]);
      expect(logout.result).toEqual(documentedLogout?.result);
      expect(after.error.data.mnemonic).toBe('access_token_invalid');
    });

    it('refuses a wrong password with auth_error', async () => {
      const reply = await rpc('login.user', { login: 'your_login', password: 'guess' });

      expect(reply.error).toMatchObject({ code: -32001, data: { mnemonic: 'auth_error' } });
    });

    it.each([
      ['release.call', { call_session_id: 1 }, 'call_session_not_found'],
      ['tag.call', { call_session_id: 1, tag_id: 36 }, 'call_session_not_found'],
    ])('%s of an unknown call answers %s', async (method, params, mnemonic) => {
      const reply = await rpc(method, { access_token: TOKEN, ...params });

      expect(reply.error).toMatchObject({ code: -32602, data: { mnemonic } });
    });

    it('tag.call refuses an unknown tag and a tag set twice', async () => {
      const callSessionId = await startCall();
      const tag = (tagId: number) =>
        rpc('tag.call', { access_token: TOKEN, call_session_id: callSessionId, tag_id: tagId });

      const unknown = await tag(99);
      await tag(36);
      const twice = await tag(36);

      expect(unknown.error.data.mnemonic).toBe('tag_not_found');
      expect(twice.error.data.mnemonic).toBe('duplicate_tag');
    });

    it('forgets a released call', async () => {
      const callSessionId = await startCall();
      await rpc('release.call', { access_token: TOKEN, call_session_id: callSessionId });

      const listed = await rpc('list.calls', { access_token: TOKEN });

      expect(listed.result.data).toEqual([]);
    });
  });

  it.each([
    [
      'a missing required parameter',
      simpleCall({ contact: undefined }),
      'required_parameter_missed',
      'contact',
    ],
    [
      'a parameter of the wrong type',
      simpleCall({ contact: 79260000000 }),
      'data_type_error',
      'contact',
    ],
    [
      'a value outside the enum',
      simpleCall({ first_call: 'nobody' }),
      'invalid_parameter_value',
      'first_call',
    ],
    [
      'a DTMF string with letters',
      simpleCall({ dtmf_string: '12a' }),
      'invalid_parameter_value',
      'dtmf_string',
    ],
    ['an unexpected parameter', simpleCall({ priority: 1 }), 'unexpected_parameters', 'priority'],
    [
      'a bad nested field',
      simpleCall({ contact_message: { type: 'video', value: 'x' } }),
      'invalid_parameter_value',
      'contact_message.type',
    ],
    [
      'null for an optional field',
      simpleCall({ external_id: null }),
      'data_type_error',
      'external_id',
    ],
  ])('refuses %s with -32602 %s naming the field', async (_, params, mnemonic, field) => {
    const reply = await rpc('start.simple_call', JSON.parse(JSON.stringify(params)));

    expect(reply.error).toMatchObject({ code: -32602, data: { mnemonic, field } });
    expect(reply.metadata.limits.minute_remaining).toBe(3);
    expect(simulator.calls()).toHaveLength(0);
  });

  it.each([
    [
      'an unknown virtual number',
      simpleCall({ virtual_phone_number: '74990000000' }),
      -32007,
      'virtual_phone_number_not_found',
    ],
    [
      'a call to its own virtual number',
      simpleCall({ contact: VIRTUAL }),
      -32602,
      'own_virtual_phone_number_not_allowed',
    ],
    [
      'a blacklisted contact',
      simpleCall({ contact: '79990000000' }),
      -32002,
      'contact_in_blacklist',
    ],
    [
      'a TTS text over the limit',
      simpleCall({ contact_message: { type: 'tts', value: 'x'.repeat(21) } }),
      -32602,
      'tts_text_exceeded',
    ],
  ])('refuses %s as the account rules say', async (_, params, code, mnemonic) => {
    const reply = await rpc('start.simple_call', params);

    expect(reply.error).toMatchObject({ code, data: { mnemonic } });
    expect(simulator.calls()).toHaveLength(0);
  });

  it.each([
    [
      'start.scenario_call',
      {
        virtual_phone_number: VIRTUAL,
        contact: '79260000000',
        first_call: 'contact',
        scenario_id: 1,
      },
      -32602,
      'scenario_not_found',
    ],
    [
      'start.vnumber_call',
      { virtual_phone_number: '74951045771', contact: '79260000000', first_call: 'contact' },
      -32007,
      'scenario_not_found',
    ],
    [
      'start.employee_call',
      {
        virtual_phone_number: VIRTUAL,
        contact: '79260000000',
        first_call: 'contact',
        employee: { id: 99 },
      },
      -32602,
      'employee_not_found',
    ],
    [
      'start.employee_call',
      {
        virtual_phone_number: VIRTUAL,
        contact: '79260000000',
        first_call: 'contact',
        employee: { id: 26 },
      },
      -32602,
      'no_active_phone_number',
    ],
    [
      'start.informer_call',
      {
        virtual_phone_number: VIRTUAL,
        contact: '79260000000',
        contact_message: { type: 'media', value: '1' },
      },
      -32602,
      'media_file_not_found',
    ],
    [
      'start.employee_call',
      {
        virtual_phone_number: VIRTUAL,
        contact: '79990000000',
        first_call: 'contact',
        employee: { id: 25 },
      },
      -32002,
      'contact_in_blacklist',
    ],
    [
      'start.vnumber_call',
      { virtual_phone_number: VIRTUAL, contact: '79990000000', first_call: 'contact' },
      -32602,
      'contact_in_blacklist',
    ],
  ])('%s refuses with its documented %i %s', async (method, params, code, mnemonic) => {
    const reply = await rpc(method, { access_token: TOKEN, ...params });

    expect(reply.error).toMatchObject({ code, data: { mnemonic } });
    expect(simulator.calls()).toHaveLength(0);
  });

  it('answers a blacklisted contact of an informer call with -32602, as its page documents', async () => {
    const reply = await rpc('start.informer_call', informerCall({ contact: '79990000000' }));

    expect(reply.error).toMatchObject({ code: -32602, data: { mnemonic: 'contact_in_blacklist' } });
  });

  it('fills the TTS limits into the error message and params', async () => {
    const reply = await rpc(
      'start.informer_call',
      informerCall({ contact_message: { type: 'tts', value: 'x'.repeat(25) } }),
    );

    expect(reply.error.message).toBe(
      'The maximum length of Text-to-Speech message is 20. The length of your message is 25',
    );
    expect(reply.error.data.params).toEqual({
      tts_message_max_length: 20,
      sent_tts_message_length: 25,
    });
  });

  it.each([
    ['an unknown key', 'nope', 'access_token_invalid'],
    ['an expired key', 'old-key', 'access_token_expired'],
    ['a blocked key', 'bad-key', 'access_token_blocked'],
  ])('refuses %s with -32001 and no limits', async (_, token, mnemonic) => {
    const reply = await rpc('start.simple_call', simpleCall({ access_token: token }));

    expect(reply.error).toMatchObject({ code: -32001, data: { mnemonic } });
    expect(reply).not.toHaveProperty('metadata');
  });

  it.each([
    ['invalid JSON', () => post('{"jsonrpc":'), -32700, 'parse_error'],
    [
      'a batch',
      () => post('[{"jsonrpc":"2.0","id":1,"method":"start.simple_call","params":{}}]'),
      -32099,
      'batch_opreations_not_supported',
    ],
    [
      'a notification',
      () => post('{"jsonrpc":"2.0","method":"start.simple_call","params":{}}'),
      -32099,
      'notifications_not_supported',
    ],
    [
      'another JSON-RPC version',
      () => post('{"jsonrpc":"1.0","id":1,"method":"start.simple_call","params":{}}'),
      -32600,
      'invalid_request',
    ],
    ['an unknown method', () => rpc('start.magic_call', {}), -32601, 'method_not_found'],
    [
      'a wrong Content-Type',
      () =>
        post(
          JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method: 'start.simple_call',
            params: simpleCall(),
          }),
          'text/plain',
        ),
      -32600,
      'invalid_request',
    ],
  ])('refuses %s', async (_, send, code, mnemonic) => {
    const reply = await send();

    expect(reply.error).toMatchObject({ code, data: { mnemonic } });
  });

  it('charges points only for successful calls and refuses with -32029 when they run out', async () => {
    await rpc('start.simple_call', simpleCall({ contact: '79990000000' }));
    const replies = [];
    for (let i = 0; i < 4; i++)
      replies.push(await rpc('start.simple_call', simpleCall({ contact: `7926000000${i}` })));

    expect(replies.slice(0, 3).map((r) => r.metadata.limits.minute_remaining)).toEqual([2, 1, 0]);
    expect(replies[3]?.error).toMatchObject({
      code: -32029,
      data: { mnemonic: 'limit_exceeded', params: { limit_type: 'minute', limit_max_value: 3 } },
    });
    expect(replies[3]?.metadata.limits.minute_reset).toBeGreaterThan(0);
    expect(simulator.calls()).toHaveLength(3);
  });

  it('lists accepted calls over HTTP without the access token', async () => {
    await rpc('start.informer_call', informerCall());

    const listed = (await (await fetch(`${simulator.url}/_simulator/calls`)).json()) as Record<
      string,
      unknown
    >[];

    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      method: 'start.informer_call',
      call_session_id: expect.any(Number),
      received_at: expect.any(String),
    });
    expect(listed[0]?.params).not.toHaveProperty('access_token');
  });
});
