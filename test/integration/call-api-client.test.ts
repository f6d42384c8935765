import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type RunningSimulator,
  type SimulatorOptions,
  startSimulator,
} from '../../infra/local/simulator/simulator.ts';
import { CallApiAccount } from '../../shared/backends/callapi/api/account.ts';
import { CallApiError } from '../../shared/backends/callapi/api/call-api-error.ts';
import { CallApiClient } from '../../shared/backends/callapi/api/client.ts';
import { StartCallResult } from '../../shared/backends/callapi/api/methods.ts';
import { endpointUrl, PROVIDER_HOSTS } from '../../shared/backends/callapi/api/providers.ts';

const VIRTUAL = '74993720692';

const informer = (extra: Record<string, unknown> = {}) => ({
  virtual_phone_number: VIRTUAL,
  contact: '79260000000',
  contact_message: { type: 'tts' as const, value: 'Hello' },
  ...extra,
});

/** Runs a request that must fail and returns its CallApiError. */
const failureOf = async (attempt: Promise<unknown>): Promise<CallApiError> => {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof CallApiError)) throw new Error(`expected a CallApiError, got ${error}`);
  return error;
};

const withSimulator = (options: Partial<SimulatorOptions> = {}) => {
  const context = {} as { simulator: RunningSimulator; client: CallApiClient };
  beforeAll(async () => {
    context.simulator = await startSimulator({
      keys: { key: 'valid', old: 'expired', blocked: 'blocked' },
      virtualNumbers: [VIRTUAL],
      ...options,
    });
    context.client = new CallApiClient({
      endpoint: endpointUrl(context.simulator.url),
      timeouts: { connectMs: 1_000, responseMs: 300 },
    });
  });
  afterAll(() => context.simulator.close());
  beforeEach(() => context.simulator.reset());
  return context;
};

describe('Class: CallApiClient (over HTTP, against the simulator)', () => {
  const ctx = withSimulator({ blacklist: ['79990000000'], minuteLimit: 2 });

  describe('Method: call', () => {
    it('returns the result and the limits as absolute times', async () => {
      const before = Date.now();
      const reply = await ctx.client.call('start.informer_call', informer(), 'key');

      expect(reply.result.data.call_session_id).toBe(ctx.simulator.calls()[0]?.call_session_id);
      expect(reply.limits).toMatchObject({ minuteLimit: 2, minuteRemaining: 1 });
      expect(reply.limits?.minuteResetAt?.getTime()).toBeGreaterThan(before);
    });

    it('refuses invalid params without sending them', async () => {
      const error = await failureOf(
        ctx.client.call('start.informer_call', informer({ contact: '+7 926 000-00-00' }), 'key'),
      );

      expect(error).toMatchObject({
        classification: 'rejected',
        mnemonic: 'invalid_params',
        field: 'contact',
      });
      expect(ctx.simulator.requestCount('start.informer_call')).toBe(0);
    });

    it('refuses null for an optional field rather than sending it', async () => {
      const params = { ...informer(), external_id: null } as unknown as ReturnType<typeof informer>;

      const error = await failureOf(ctx.client.call('start.informer_call', params, 'key'));

      expect(error).toMatchObject({ mnemonic: 'invalid_params', field: 'external_id' });
    });

    it('sends only the fields given, and the token once', async () => {
      await ctx.client.call('start.informer_call', informer({ external_id: 'c_1' }), 'key');

      expect(ctx.simulator.calls()[0]?.params).toEqual({ ...informer(), external_id: 'c_1' });
    });

    it('reuses one keep-alive connection for consecutive requests', async () => {
      const before = ctx.simulator.connectionCount();
      await ctx.client.call('list.calls', {}, 'key');
      await ctx.client.call('list.calls', {}, 'key');

      expect(ctx.simulator.connectionCount() - before).toBeLessThanOrEqual(1);
    });

    it.each([
      [
        'a blacklisted contact',
        informer({ contact: '79990000000' }),
        'rejected',
        'contact_in_blacklist',
      ],
      [
        'an unknown virtual number',
        informer({ virtual_phone_number: '74990000000' }),
        'config',
        'virtual_phone_number_not_found',
      ],
    ])('classifies %s as %s', async (_, params, classification, mnemonic) => {
      const error = await failureOf(ctx.client.call('start.informer_call', params, 'key'));

      expect(error).toMatchObject({ classification, mnemonic, code: expect.any(Number) });
    });

    it.each([
      ['old', 'access_token_expired'],
      ['blocked', 'access_token_blocked'],
      ['nope', 'access_token_invalid'],
    ])('classifies key %s as auth (%s)', async (key, mnemonic) => {
      const error = await failureOf(ctx.client.call('list.calls', {}, key));

      expect(error).toMatchObject({ classification: 'auth', code: -32001, mnemonic });
    });

    it('classifies an unknown method as rejected', async () => {
      const error = await failureOf(ctx.client.request('start.magic_call', {}, StartCallResult));

      expect(error).toMatchObject({
        classification: 'rejected',
        code: -32601,
        mnemonic: 'method_not_found',
      });
    });

    it('classifies an exhausted minute as limit, with the reset time', async () => {
      await ctx.client.call('start.informer_call', informer(), 'key');
      await ctx.client.call('start.informer_call', informer({ contact: '79260000001' }), 'key');

      const error = await failureOf(
        ctx.client.call('start.informer_call', informer({ contact: '79260000002' }), 'key'),
      );

      expect(error).toMatchObject({
        classification: 'limit',
        code: -32029,
        mnemonic: 'limit_exceeded',
      });
      expect(error.limits?.minuteRemaining).toBe(0);
      expect(error.limits?.minuteResetAt?.getTime()).toBeGreaterThan(Date.now());
    });
  });

  describe('fault modes', () => {
    it.each([
      ['an HTTP 502', { mode: 'http_502' } as const, 0],
      ['internal_error', { mode: 'internal_error' } as const, 0],
      ['a dropped connection before processing', { mode: 'drop_before' } as const, 0],
      ['a dropped connection after processing', { mode: 'drop_after' } as const, 1],
      ['a reply slower than the response timeout', { mode: 'delay', ms: 600 } as const, 1],
    ])('classifies %s as ambiguous', async (_, fault, callsCreated) => {
      ctx.simulator.injectFault({ fault, times: 1 });

      const error = await failureOf(ctx.client.call('start.informer_call', informer(), 'key'));

      expect(error.classification).toBe('ambiguous');
      await expect.poll(() => ctx.simulator.calls().length).toBe(callsCreated);
    });

    it('answers normally after a short delay', async () => {
      ctx.simulator.injectFault({ fault: { mode: 'delay', ms: 50 }, times: 1 });

      const reply = await ctx.client.call('start.informer_call', informer(), 'key');

      expect(reply.result.data.call_session_id).toEqual(expect.any(Number));
    });

    it('classifies a refused connection as unreachable', async () => {
      const closed = await startSimulator({ keys: {}, virtualNumbers: [] });
      await closed.close();
      const client = new CallApiClient({ endpoint: endpointUrl(closed.url) });

      const error = await failureOf(client.call('list.calls', {}, 'key'));

      expect(error.classification).toBe('unreachable');
    });

    it('accepts fault rules over the admin endpoint', async () => {
      const response = await fetch(`${ctx.simulator.url}/_simulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fault: { mode: 'http_502' }, method: 'list.calls', times: 1 }),
      });

      const first = await failureOf(ctx.client.call('list.calls', {}, 'key'));
      const second = await ctx.client.call('list.calls', {}, 'key');

      expect(response.status).toBe(200);
      expect(first.classification).toBe('ambiguous');
      expect(second.result.data).toEqual([]);
    });
  });
});

describe('Account rules (simulator refusals by configuration)', () => {
  describe('with the informer component disabled', () => {
    const ctx = withSimulator({ disabledComponents: ['Call API Informer calls'] });
    it('classifies component_disabled as config', async () => {
      const error = await failureOf(ctx.client.call('start.informer_call', informer(), 'key'));
      expect(error).toMatchObject({
        classification: 'config',
        code: -32008,
        mnemonic: 'component_disabled',
      });
    });
  });

  describe('with an IP whitelist that does not hold 127.0.0.1', () => {
    const ctx = withSimulator({ ipWhitelist: ['203.0.113.10'] });
    it('classifies ip_not_whitelisted as config, checked against the socket address', async () => {
      const error = await failureOf(ctx.client.call('list.calls', {}, 'key'));
      expect(error).toMatchObject({
        classification: 'config',
        code: -32003,
        mnemonic: 'ip_not_whitelisted',
      });
      expect(error.message).toContain('127.0.0.1');
    });
  });

  describe('with an inactive account', () => {
    const ctx = withSimulator({ accountInactive: true });
    it('classifies account_inactive as config', async () => {
      const error = await failureOf(ctx.client.call('list.calls', {}, 'key'));
      expect(error).toMatchObject({
        classification: 'config',
        code: -32009,
        mnemonic: 'account_inactive',
      });
    });
  });

  describe('on a deprecated API version', () => {
    const ctx = withSimulator({ deprecated: { latest_version: 'v4.1' } });
    it('warns once per container, naming the latest version', async () => {
      const warnings: unknown[][] = [];
      const client = new CallApiClient({
        endpoint: endpointUrl(ctx.simulator.url),
        logger: { warn: (...args: unknown[]) => warnings.push(args) },
      });

      await client.call('list.calls', {}, 'key');
      await client.call('list.calls', {}, 'key');

      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.[1]).toMatchObject({ latest_version: 'v4.1' });
    });
  });
});

describe('Class: CallApiAccount', () => {
  let clock = 0;
  const ctx = withSimulator({
    logins: { operator: 'secret' },
    sessionTtlMs: 3_600_000,
    now: () => clock,
  });
  beforeEach(() => {
    clock = Date.UTC(2026, 10, 22, 10);
  });

  const account = (credentials: ConstructorParameters<typeof CallApiAccount>[1]) =>
    new CallApiAccount(ctx.client, credentials, () => new Date(clock));

  it('logs in once and reuses the session', async () => {
    const session = account({ login: 'operator', password: 'secret' });

    await Promise.all([
      session.call('list.calls', {}),
      session.call('list.calls', {}),
      session.call('list.calls', {}),
    ]);

    expect(ctx.simulator.requestCount('login.user')).toBe(1);
  });

  it('renews a session shortly before it expires', async () => {
    const session = account({ login: 'operator', password: 'secret' });
    await session.call('list.calls', {});

    clock += 3_600_000 - 30_000;
    await session.call('list.calls', {});

    expect(ctx.simulator.requestCount('login.user')).toBe(2);
  });

  it('logs in again exactly once when the provider drops sessions mid-burst, and no call fails', async () => {
    const session = account({ login: 'operator', password: 'secret' });
    await session.call('list.calls', {});
    // The provider forgets every session (as after a restart) while our cache still trusts it.
    ctx.simulator.reset();

    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        session.call('start.informer_call', informer({ contact: `7926000001${i}` })),
      ),
    );

    expect(replies).toHaveLength(10);
    expect(ctx.simulator.requestCount('login.user')).toBe(1);
    expect(ctx.simulator.calls()).toHaveLength(10);
  });

  it('classifies a wrong login as config, never retrying it', async () => {
    const session = account({ login: 'operator', password: 'wrong' });

    const error = await failureOf(session.call('list.calls', {}));

    expect(error).toMatchObject({ classification: 'config', mnemonic: 'auth_error' });
    expect(ctx.simulator.requestCount('login.user')).toBe(1);
  });

  it('classifies a refused permanent key as config', async () => {
    const error = await failureOf(account({ access_token: 'old' }).call('list.calls', {}));

    expect(error).toMatchObject({ classification: 'config', mnemonic: 'access_token_expired' });
    expect(ctx.simulator.requestCount('list.calls')).toBe(1);
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
