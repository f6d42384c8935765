import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../infra/local/simulator/simulator.ts';
import { CallApiError } from '../../shared/backends/callapi/api/call-api-error.ts';
import { CallApiClient } from '../../shared/backends/callapi/api/client.ts';
import type { MethodName, ParamsOf } from '../../shared/backends/callapi/api/methods.ts';
import { endpointUrl } from '../../shared/backends/callapi/api/providers.ts';

const VIRTUAL = '74993720692';
const NO_SCENARIO = '74951045771';
const base = { virtual_phone_number: VIRTUAL, contact: '79260000000' };

/** One documented method error: how to provoke it, and what the client must make of it. */
interface Case {
  method: MethodName;
  params: (activeCall: number) => Record<string, unknown>;
  code: number;
  mnemonic: string;
  classification: CallApiError['classification'];
}

const cases: Case[] = [
  {
    method: 'start.simple_call',
    params: () => ({
      ...base,
      first_call: 'operator',
      operator: '79260000009',
      contact_message: { type: 'tts', value: 'x'.repeat(11) },
    }),
    code: -32602,
    mnemonic: 'tts_text_exceeded',
    classification: 'rejected',
  },
  {
    method: 'start.simple_call',
    params: () => ({ ...base, first_call: 'operator', operator: '79260000009', media_file_id: 1 }),
    code: -32602,
    mnemonic: 'media_file_not_found',
    classification: 'rejected',
  },
  {
    method: 'start.simple_call',
    params: () => ({
      ...base,
      virtual_phone_number: '74990000000',
      first_call: 'operator',
      operator: '79260000009',
    }),
    code: -32007,
    mnemonic: 'virtual_phone_number_not_found',
    classification: 'config',
  },
  {
    method: 'start.simple_call',
    params: () => ({ ...base, contact: VIRTUAL, first_call: 'operator', operator: '79260000009' }),
    code: -32602,
    mnemonic: 'own_virtual_phone_number_not_allowed',
    classification: 'rejected',
  },
  {
    method: 'start.simple_call',
    params: () => ({
      ...base,
      contact: '79990000000',
      first_call: 'operator',
      operator: '79260000009',
    }),
    code: -32002,
    mnemonic: 'contact_in_blacklist',
    classification: 'rejected',
  },
  {
    method: 'start.informer_call',
    params: () => ({
      ...base,
      contact: '79990000000',
      contact_message: { type: 'tts', value: 'Hi' },
    }),
    code: -32602,
    mnemonic: 'contact_in_blacklist',
    classification: 'rejected',
  },
  {
    method: 'start.scenario_call',
    params: () => ({ ...base, first_call: 'contact', scenario_id: 1 }),
    code: -32602,
    mnemonic: 'scenario_not_found',
    classification: 'rejected',
  },
  {
    method: 'start.vnumber_call',
    params: () => ({ ...base, virtual_phone_number: NO_SCENARIO, first_call: 'contact' }),
    code: -32007,
    mnemonic: 'scenario_not_found',
    classification: 'config',
  },
  {
    method: 'start.employee_call',
    params: () => ({ ...base, first_call: 'contact', employee: { id: 99 } }),
    code: -32602,
    mnemonic: 'employee_not_found',
    classification: 'rejected',
  },
  {
    method: 'start.employee_call',
    params: () => ({ ...base, first_call: 'contact', employee: { id: 26 } }),
    code: -32602,
    mnemonic: 'no_active_phone_number',
    classification: 'rejected',
  },
  {
    method: 'release.call',
    params: () => ({ call_session_id: 1 }),
    code: -32602,
    mnemonic: 'call_session_not_found',
    classification: 'rejected',
  },
  {
    method: 'tag.call',
    params: (call) => ({ call_session_id: call, tag_id: 99 }),
    code: -32602,
    mnemonic: 'tag_not_found',
    classification: 'rejected',
  },
];

describe('Every documented method error, through the client', () => {
  let simulator: RunningSimulator;
  let client: CallApiClient;

  beforeAll(async () => {
    simulator = await startSimulator({
      keys: { key: 'valid' },
      virtualNumbers: [VIRTUAL, NO_SCENARIO],
      numbersWithScenario: [VIRTUAL],
      employees: { 26: null },
      tags: { 36: 'Target' },
      blacklist: ['79990000000'],
      ttsMaxLength: 10,
    });
    client = new CallApiClient({ endpoint: endpointUrl(simulator.url) });
  });
  afterAll(() => simulator.close());

  const activeCall = async () =>
    (
      await client.call(
        'start.informer_call',
        { ...base, contact_message: { type: 'tts', value: 'Hi' } },
        'key',
      )
    ).result.data.call_session_id;

  it.each(cases)(
    '$method: $mnemonic ($code) is $classification',
    async ({ method, params, code, mnemonic, classification }) => {
      const call = await activeCall();

      const error = await client.call(method, params(call) as ParamsOf<typeof method>, 'key').then(
        () => undefined,
        (e: unknown) => e,
      );

      expect(error).toBeInstanceOf(CallApiError);
      expect(error).toMatchObject({ code, mnemonic, classification });
    },
  );

  it('tag.call: duplicate_tag is rejected', async () => {
    const call = await activeCall();
    await client.call('tag.call', { call_session_id: call, tag_id: 36 }, 'key');

    const error = await client
      .call('tag.call', { call_session_id: call, tag_id: 36 }, 'key')
      .catch((e: unknown) => e);

    expect(error).toMatchObject({
      code: -32602,
      mnemonic: 'duplicate_tag',
      classification: 'rejected',
    });
  });
});
