import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../infra/local/simulator/simulator.ts';
import { CallApiError } from '../../shared/callapi/call-api-error.ts';
import { CallApiClient } from '../../shared/callapi/client.ts';
import { StartCallResult } from '../../shared/callapi/methods.ts';
import { endpointUrl, PROVIDER_HOSTS } from '../../shared/callapi/providers.ts';

const VIRTUAL = '74993720692';

describe('Class: CallApiClient (over HTTP, against the simulator)', () => {
  let simulator: RunningSimulator;
  let client: CallApiClient;
  const now = new Date('2026-11-22T10:00:00Z');

  beforeAll(async () => {
    simulator = await startSimulator({
      keys: { key: 'valid', old: 'expired' },
      virtualNumbers: [VIRTUAL],
      blacklist: ['79990000000'],
      minuteLimit: 2,
    });
    client = new CallApiClient({ endpoint: endpointUrl(simulator.url), now: () => now });
  });
  afterAll(() => simulator.close());
  beforeEach(() => simulator.reset());

  const informer = (extra: Record<string, unknown> = {}) => ({
    access_token: 'key',
    virtual_phone_number: VIRTUAL,
    contact: '79260000000',
    contact_message: { type: 'tts', value: 'Hello' },
    ...extra,
  });

  const failureOf = async (params: Record<string, unknown>): Promise<CallApiError> => {
    const error = await client.request('start.informer_call', params, StartCallResult).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof CallApiError)) throw new Error(`expected a CallApiError, got ${error}`);
    return error;
  };

  describe('Method: request', () => {
    it('returns the result and the limits as absolute times', async () => {
      const reply = await client.request('start.informer_call', informer(), StartCallResult);

      expect(reply.result.data.call_session_id).toBe(simulator.calls()[0]?.call_session_id);
      expect(reply.limits).toMatchObject({ minuteLimit: 2, minuteRemaining: 1, observedAt: now });
      expect(reply.limits?.minuteResetAt?.getTime()).toBeGreaterThan(now.getTime());
    });

    it.each([
      [
        'a blacklisted contact',
        informer({ contact: '79990000000' }),
        'rejected',
        'contact_in_blacklist',
      ],
      [
        'an invalid parameter',
        informer({ direction: 'sideways' }),
        'rejected',
        'invalid_parameter_value',
      ],
      [
        'an unknown virtual number',
        informer({ virtual_phone_number: '74990000000' }),
        'config',
        'virtual_phone_number_not_found',
      ],
      ['an expired key', informer({ access_token: 'old' }), 'auth', 'access_token_expired'],
    ])('classifies %s as %s', async (_, params, classification, mnemonic) => {
      const error = await failureOf(params);

      expect(error).toMatchObject({ classification, mnemonic });
      expect(error.code).toEqual(expect.any(Number));
    });

    it('carries the field the provider blamed', async () => {
      const error = await failureOf(informer({ direction: 'sideways' }));

      expect(error).toMatchObject({ field: 'direction', value: 'sideways' });
    });

    it('classifies an exhausted minute as limit, with the reset time', async () => {
      await client.request('start.informer_call', informer(), StartCallResult);
      await client.request(
        'start.informer_call',
        informer({ contact: '79260000001' }),
        StartCallResult,
      );

      const error = await failureOf(informer({ contact: '79260000002' }));

      expect(error).toMatchObject({
        classification: 'limit',
        code: -32029,
        mnemonic: 'limit_exceeded',
      });
      expect(error.limits?.minuteRemaining).toBe(0);
      expect(error.limits?.minuteResetAt?.getTime()).toBeGreaterThan(now.getTime());
    });

    it('sends no field as null and no access token twice', async () => {
      await client.request(
        'start.informer_call',
        informer({ external_id: 'c_1' }),
        StartCallResult,
      );

      expect(simulator.calls()[0]?.params).toEqual({
        virtual_phone_number: VIRTUAL,
        contact: '79260000000',
        contact_message: { type: 'tts', value: 'Hello' },
        external_id: 'c_1',
      });
    });
  });
});

describe('Function: endpointUrl', () => {
  it.each([
    ['callgear', 'https://callapi.callgear.com/v4.0'],
    ['uis', 'https://callapi.uiscom.ru/v4.0'],
    ['comagic', 'https://callapi.comagic.ru/v4.0'],
    ['novofon', 'https://callapi-jsonrpc.novofon.ru/v4.0'],
  ] as const)('points the %s preset at %s', (provider, url) => {
    expect(endpointUrl(PROVIDER_HOSTS[provider]).href).toBe(url);
  });

  it('accepts a base URL with a trailing slash and another version', () => {
    expect(endpointUrl('https://callapi.example.com/', 'v4.1').href).toBe(
      'https://callapi.example.com/v4.1',
    );
  });
});
