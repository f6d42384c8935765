import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestHandler } from '../../functions/ingest/handler.ts';
import { lambdaContext } from '../../infra/local/lambda-context.ts';
import type { CallStore } from '../../shared/calls/call-store.ts';
import { parseConfig } from '../../shared/config/load.ts';
import { SWEEP_TIMING } from '../../shared/dispatch/sweep-timing.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { numberingForConfig } from '../../shared/routes/numbering-for.ts';
import { SHAPE_CHECKS } from '../../shared/secrets/secret-shapes.ts';
import type { SecretStore } from '../../shared/secrets/secrets.ts';
import { memoryKeptEvents } from '../support/ingest-deps.ts';
import { memoryContactWindows } from '../support/memory-contact-windows.ts';
import { startTestRuntime } from '../support/runtime.ts';
import { runToExit } from '../support/spawn-main.ts';

/*
 * A secret that is missing or of the wrong shape is a configuration error, found before any
 * webhook arrives (npm start, config:check) and, where it is found later, refused naming it.
 */

const shopConfig = (extra: Record<string, unknown> = {}) =>
  parseConfig(
    {
      accounts: {
        demo: {
          provider: 'simulator',
          secret: 'demo/callapi',
          virtual_phone_number: '74993720692',
          events_secret: 'demo/events-token',
        },
      },
      routes: {
        shop: { account: 'demo', preset: 'shopify-orders-create', auth: { secret: 'shop/key' } },
        standard: {
          account: 'demo',
          preset: 'generic',
          auth: { type: 'standard-webhooks', secret: 'shop/standard' },
          callback_url: 'https://example.com/calls',
          callback_secret: 'shop/callbacks',
        },
        ...extra,
      },
    },
    'secret-checks test',
  );

describe('Secrets: shapes, start-up and config:check', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'callhook-secrets-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ['signing-key', '', false],
    ['signing-key', ' ', false],
    ['signing-key', '\n', false],
    ['signing-key', 'shpss_x ', false],
    ['signing-key', '{"key":"shpss_x"}', false],
    ['signing-key', 'shpss_x', true],
    ['token', '  ', false],
    ['token', ' demo-token ', false],
    ['standard-webhooks-key', ` whsec_${Buffer.alloc(24, 7).toString('base64')}\n`, false],
    ['standard-webhooks-key', 'whsec_', false],
    ['standard-webhooks-key', 'not-whsec', false],
    ['standard-webhooks-key', `whsec_${Buffer.alloc(24, 7).toString('base64')}`, true],
    ['callapi-credentials', '{"token":"x"}', false],
    ['callapi-credentials', 'Zk3!q8L^pW2#rT9vX7&nB4@mC6*dF1yH', false],
    ['callapi-credentials', '{"access_token":"k"}', true],
    ['callapi-credentials', '{"login":"l","password":"p"}', true],
    ['hash-key', 'short', false],
  ] as const)('%s: %j is usable: %s', (shape, value, usable) => {
    expect(SHAPE_CHECKS[shape](value) === undefined).toBe(usable);
  });

  it('refuses a webhook signed with an empty secret, naming the secret in the log', async () => {
    const config = shopConfig();
    const created: string[] = [];
    const store = {
      create: async (record: { call_id: string }) => {
        created.push(record.call_id);
        throw new Error('nothing may be stored');
      },
      get: async () => undefined,
    } as unknown as CallStore;
    const errors: string[] = [];
    const logger = createLogger('secret-checks');
    logger.error = ((line: string, attributes: { error?: Error }) => {
      errors.push(`${line}: ${attributes.error?.message}`);
    }) as typeof logger.error;
    const secrets: SecretStore = { get: async () => '' };
    const ingest = createIngestHandler({
      config,
      numbering: numberingForConfig(config),
      store,
      queue: { send: async () => {} },
      keptEvents: memoryKeptEvents(),
      secrets,
      contacts: {
        admit: async () => 'added',
        counted: async () => [],
        release: async () => {},
      },
      contactWindows: memoryContactWindows(),
      logger,
      now: () => new Date(),
      timing: SWEEP_TIMING,
    });
    const body = JSON.stringify({
      id: 1,
      name: '#1',
      total_price: '1',
      currency: 'RUB',
      customer: { first_name: 'A' },
      shipping_address: { phone: '+79260000001' },
    });
    const signature = createHmac('sha256', '').update(body).digest('base64');

    const answer = await ingest(
      {
        version: '2.0',
        routeKey: 'POST /hooks/{route}',
        rawPath: '/hooks/shop',
        rawQueryString: '',
        headers: { 'content-type': 'application/json', 'x-shopify-hmac-sha256': signature },
        pathParameters: { route: 'shop' },
        requestContext: { http: { method: 'POST' }, requestId: 'r1' },
        body,
        isBase64Encoded: false,
      } as never,
      lambdaContext('ingest'),
    );

    expect(answer).toMatchObject({ statusCode: 500 });
    expect(created).toEqual([]);
    expect(errors).toEqual([expect.stringContaining('secret "shop/key" is blank')]);
  });

  it('npm start refuses to start while a named secret is missing or malformed, naming each', async () => {
    const start = startTestRuntime({
      config: shopConfig(),
      secrets: {
        'shop/key': '',
        'shop/standard': 'plain-text',
        'demo/callapi': { token: 'x' },
      },
    });

    await expect(start).rejects.toThrow(
      new RegExp(
        [
          'accounts\\.demo\\.secret: secret "demo/callapi" must be JSON',
          'routes\\.shop\\.auth\\.secret: secret "shop/key" is blank',
          'routes\\.standard\\.auth\\.secret: secret "shop/standard" must be "whsec_"',
          'routes\\.standard\\.callback_secret: secret "shop/callbacks" does not exist',
        ].join('[\\s\\S]*'),
      ),
    );
  });

  const checkConfig = (...args: string[]) =>
    runToExit(
      spawn(process.execPath, ['--import', 'tsx', 'infra/config-check.ts', ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );

  it('config:check names each missing or malformed secret in the secrets file', async () => {
    const configFile = join(dir, 'config.json');
    await writeFile(
      configFile,
      JSON.stringify({
        accounts: {
          demo: {
            provider: 'simulator',
            secret: 'demo/callapi',
            virtual_phone_number: '74993720692',
          },
        },
        routes: {
          shop: { account: 'demo', preset: 'shopify-orders-create', auth: { secret: 'shop/key' } },
        },
      }),
    );
    const secretsFile = join(dir, 'secrets.json');
    await writeFile(secretsFile, JSON.stringify({ 'shop/key': '' }));

    const broken = await checkConfig(configFile, '--secrets', secretsFile);
    await writeFile(
      secretsFile,
      JSON.stringify({ 'shop/key': 'shpss_1', 'demo/callapi': { access_token: 'k' } }),
    );
    const fixed = await checkConfig(configFile, '--secrets', secretsFile);
    // A value left unquoted: the JSON parser's own message would quote it.
    await writeFile(secretsFile, '{"shop/key": shpss_unquoted_1, "demo/callapi": {}}');
    const unreadable = await checkConfig(configFile, '--secrets', secretsFile);

    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('accounts.demo.secret: secret "demo/callapi" does not exist');
    expect(broken.stderr).toContain('routes.shop.auth.secret: secret "shop/key" is blank');
    expect(fixed).toMatchObject({ code: 0 });
    expect(fixed.stdout).toContain('all 2 named secrets are usable');
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr.trim()).toBe(`secrets file ${secretsFile} is not valid JSON`);
  });

  it('config:check warns when signed routes share a signing secret', async () => {
    const configFile = join(dir, 'shared-secret.json');
    const shop = (preset: string) => ({ account: 'demo', preset, auth: { secret: 'shop/app' } });
    await writeFile(
      configFile,
      JSON.stringify({
        accounts: {
          demo: {
            provider: 'simulator',
            secret: 'demo/callapi',
            virtual_phone_number: '74993720692',
          },
        },
        routes: { orders: shop('shopify-orders-create'), again: shop('shopify-orders-create') },
      }),
    );

    const { code, stdout } = await checkConfig(configFile);

    expect(code).toBe(0);
    expect(stdout).toContain('warning: routes orders, again share the signing secret "shop/app"');
  });
});
