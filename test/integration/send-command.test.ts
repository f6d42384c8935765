import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { banner } from '../../infra/local/banner.ts';
import { buildSampleRequest, SendError, samplePhone, sendSample } from '../../infra/local/send.ts';
import { FileSecretStore } from '../../shared/adapters/local/file-secret-store.ts';
import { parseConfig } from '../../shared/config/load.ts';
import { freshPhones, waitForStatus } from '../support/http.ts';
import { HOOK_TOKEN, startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { runToExit } from '../support/spawn-main.ts';

const SECRETS = {
  'send/shopify': 'shpss_send_0f1e2d3c',
  'send/woo': 'woo-send-secret',
  'send/stripe': 'whsec_send_stripe_secret',
  'send/stripe-us': 'whsec_send_stripe_us_secret',
  'send/typeform': 'typeform-send-secret',
  'send/standard': `whsec_${randomBytes(24).toString('base64')}`,
  'send/hmac': 'send-hmac-key',
  'send/custom': 'send-custom-key',
};

const ROUTES = {
  shopify: { preset: 'shopify-orders-create', auth: { secret: 'send/shopify' } },
  woo: { preset: 'woocommerce-order-created', auth: { secret: 'send/woo' } },
  stripe: { preset: 'stripe-checkout-completed', auth: { secret: 'send/stripe' } },
  'stripe-us': {
    preset: 'stripe-checkout-completed',
    auth: { secret: 'send/stripe-us' },
    default_country: 'US',
  },
  typeform: {
    preset: 'typeform-form-response',
    auth: { secret: 'send/typeform' },
    language: 'en',
  },
  standard: { preset: 'generic', auth: { type: 'standard-webhooks', secret: 'send/standard' } },
  // A form, signed with base64 HMAC-SHA512 of `<t>.<body>`.
  hmac: {
    preset: 'generic',
    auth: {
      type: 'hmac',
      secret: 'send/hmac',
      header: 'X-Signature',
      algorithm: 'sha512',
      encoding: 'base64',
      timestamp_header: 'X-Timestamp',
    },
    body_format: 'form',
  },
  tilda: {
    preset: 'tilda-form',
    auth: { secret: 'demo/hook-token' },
    call: { params: { operator: '74951234567' } },
  },
  // No preset: its own example.
  custom: {
    auth: { type: 'hmac', secret: 'send/custom', header: 'X-Hub-Signature-256', prefix: 'sha256=' },
    call: {
      method: 'start.informer_call',
      contact: 'client.phone',
      contact_message: { type: 'tts', value: "'Your table for ' & guests & ' is booked.'" },
    },
    idempotency_key: 'booking_id',
    example: { booking_id: 'b-1', guests: 4, client: { phone: '+7 926 555-01-01' } },
  },
} as const;

const ACCOUNT = {
  provider: 'simulator',
  secret: 'demo/callapi',
  virtual_phone_number: '74993720692',
};

const rawConfig = {
  accounts: { demo: ACCOUNT },
  routes: Object.fromEntries(
    Object.entries(ROUTES).map(([name, route]) => [name, { account: 'demo', ...route }]),
  ),
};
const config = parseConfig(rawConfig, 'send-command test');

/** What each route's sample makes the simulator say; undefined for an operator call. */
const cases: { route: keyof typeof ROUTES; says?: RegExp | string; phone?: 'default' }[] = [
  {
    route: 'shopify',
    says: /^Здравствуйте, Анна! Ваш заказ №\d{4} на сумму 2500 рублей подтверждён\. Спасибо!$/,
  },
  {
    route: 'woo',
    says: /^Здравствуйте, Анна! Ваш заказ №\d+ на сумму 1990 рублей подтверждён\. Спасибо!$/,
  },
  { route: 'stripe', says: 'Спасибо! Ваш платёж на сумму 1990 рублей подтверждён.' },
  {
    route: 'stripe-us',
    says: 'Thank you! Your payment of 49 dollars and 99 cents is confirmed.',
    phone: 'default',
  },
  { route: 'typeform', says: 'Thank you for your answers. We will be in touch soon.' },
  { route: 'standard', says: 'Это проверочный звонок от callhook.' },
  { route: 'hmac', says: 'Это проверочный звонок от callhook.' },
  { route: 'tilda' },
];

describe('npm run send: a signed sample webhook for a route', () => {
  let runtime: TestRuntime;
  let dir: string;
  let secretsFile: string;
  let configFile: string;
  const nextPhone = freshPhones('300');

  beforeAll(async () => {
    runtime = await startTestRuntime({ config, secrets: SECRETS, sweepIntervalMs: 0 });
    dir = await mkdtemp(join(tmpdir(), 'callhook-send-'));
    secretsFile = join(dir, 'secrets.json');
    configFile = join(dir, 'config.json');
    await writeFile(secretsFile, JSON.stringify({ ...SECRETS, 'demo/hook-token': HOOK_TOKEN }));
    await writeFile(configFile, JSON.stringify(rawConfig));
  });
  afterAll(async () => {
    await runtime.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const send = (route: string, options: { phone?: string } = {}) =>
    sendSample({
      config,
      route,
      secrets: new FileSecretStore(secretsFile),
      bridgeUrl: runtime.bridgeUrl,
      ...options,
    });

  const placedCall = async (answer: string) => {
    const callId = String((JSON.parse(answer) as { call_id?: unknown }).call_id);
    await waitForStatus(runtime.bridgeUrl, callId, 'placed');
    return runtime.simulator.calls().find((call) => call.params.external_id === callId);
  };

  it.each(cases)('$route: the sample is accepted and the simulator gets the call', async (c) => {
    const phone = c.phone === 'default' ? undefined : nextPhone();

    const result = await send(c.route, phone === undefined ? {} : { phone });

    expect(result.status, result.answer).toBe(202);
    const call = await placedCall(result.answer);
    if (phone !== undefined) expect(call?.params.contact).toBe(phone.slice(1));
    if (c.says === undefined) {
      expect(call?.method).toBe('start.simple_call');
    } else {
      expect(call?.params.contact_message).toEqual({
        type: 'tts',
        value: typeof c.says === 'string' ? c.says : expect.stringMatching(c.says),
      });
    }
  });

  it('gives each route its own sample number, so every route’s sample fits the per-number cap', async () => {
    const presetRoutes = ['shopify', 'woo', 'stripe', 'typeform'] as const;
    const names = Object.keys(config.routes);
    const phones = presetRoutes.map((name) =>
      samplePhone(config.routes[name] as (typeof config.routes)[string], names.indexOf(name)),
    );
    expect(new Set(phones).size).toBe(presetRoutes.length);

    // Four routes' samples in a row, none with --phone: the cap of 3 a number refuses none.
    for (const route of presetRoutes) {
      const result = await send(route);
      expect({ route, status: result.status }).toEqual({ route, status: 202 });
    }
  });

  it('a route without a preset sends its example, a repeat of which is the same call', async () => {
    const first = await send('custom');
    const again = await send('custom');

    expect(first.status).toBe(202);
    expect(first.request.source).toContain('"example"');
    const call = await placedCall(first.answer);
    expect(call?.params).toMatchObject({
      contact: '79265550101',
      contact_message: { value: 'Your table for 4 is booked.' },
    });
    expect(again.status).toBe(200);
  });

  it('sends a payload file instead of the sample, and the form a Tilda route reads', async () => {
    const phone = nextPhone();
    const request = await buildSampleRequest({
      config,
      route: 'tilda',
      secrets: new FileSecretStore(secretsFile),
      bridgeUrl: runtime.bridgeUrl,
    });
    const fromFile = await sendSample({
      config,
      route: 'standard',
      secrets: new FileSecretStore(secretsFile),
      bridgeUrl: runtime.bridgeUrl,
      payload: { phone, message: 'From a file.' },
    });

    expect(request.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toMatchObject({
      Name: 'Анна',
      Phone: expect.stringMatching(/^\+7/),
      tranid: expect.stringMatching(/^\d+:\d+$/),
      formid: expect.any(String),
    });
    expect(fromFile.status).toBe(202);
    expect((await placedCall(fromFile.answer))?.params.contact_message).toMatchObject({
      value: 'From a file.',
    });
  });

  it('refuses an unknown route, a route with nothing to send, and a real account without --phone', async () => {
    const secrets = new FileSecretStore(secretsFile);
    const real = parseConfig(
      {
        accounts: { demo: ACCOUNT, live: { ...ACCOUNT, provider: 'uis' } },
        routes: {
          live: { ...rawConfig.routes.shopify, account: 'live' },
          bare: { ...rawConfig.routes.custom, example: undefined },
        },
      },
      'send-command test',
    );
    const build = (route: string, cfg = config) =>
      buildSampleRequest({ config: cfg, route, secrets, bridgeUrl: 'http://127.0.0.1:9' });

    await expect(build('shopfy')).rejects.toThrow(
      /no route named "shopfy"; did you mean `shopify`\?/,
    );
    await expect(build('bare', real)).rejects.toThrow(/no "example" and no preset/);
    await expect(build('live', real)).rejects.toThrow(/not the simulator: pass the number/);
    await expect(build('live', real)).rejects.toBeInstanceOf(SendError);
    await expect(
      sendSample({ config, route: 'tilda', secrets, bridgeUrl: 'http://127.0.0.1:9' }),
    ).rejects.toThrow(/nothing answers at http:\/\/127\.0\.0\.1:9/);
  });

  it('the real script posts to PORT and prints the status and the answer', async () => {
    const port = new URL(runtime.bridgeUrl).port;
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/send.ts', 'tilda'], {
      env: {
        ...process.env,
        PORT: port,
        CALLHOOK_CONFIG: configFile,
        CALLHOOK_SECRETS_FILE: secretsFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

    const { code, stdout, stderr } = await runToExit(child);

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`POST ${runtime.bridgeUrl}/hooks/tilda`);
    expect(stdout).toContain('→ 202');
    const answer = stdout.slice(stdout.indexOf('{'));
    expect((await placedCall(answer))?.method).toBe('start.simple_call');
  });

  it('the start-up banner shows npm run send for the signed routes', () => {
    const text = banner({
      config,
      bridgeUrl: 'http://127.0.0.1:3005',
      simulatorUrl: 'http://127.0.0.1:3006',
      adminKey: 'key',
      dataDir: undefined,
      tokens: { tilda: HOOK_TOKEN },
      sendEnv: { PORT: '3005' },
    });

    expect(text).toContain('  PORT=3005 npm run send -- shopify\n');
    expect(text).toContain('  PORT=3005 npm run send -- custom\n');
    // A token route without an example: the preset's sample instead of a curl without fields.
    expect(text).toContain('  PORT=3005 npm run send -- tilda\n');
    expect(text).not.toContain('/hooks/tilda -H');
    expect(text).not.toContain('see docs/senders.md');
  });
});
