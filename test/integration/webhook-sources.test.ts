import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.ts';
import { freshPhones, postHook, postSigned, waitForStatus } from '../support/http.ts';
import { HOOK_TOKEN, queueIdle, startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import {
  shopifyOrder,
  stripeCheckoutCompleted,
  typeformResponse,
  wooOrder,
} from '../support/sender-payloads.ts';
import {
  type SignedRequest,
  signGenericHmac,
  signShopify,
  signStandardWebhook,
  signStripe,
  signTypeform,
  signWooCommerce,
} from '../support/senders.ts';

const SECRETS = {
  'shop/shopify': 'shpss_0f1e2d3c4b5a',
  'shop/woo': 'woo-webhook-secret',
  'shop/typeform': 'typeform-secret',
  'shop/stripe': 'whsec_stripe_endpoint_secret',
  'shop/standard': `whsec_${randomBytes(24).toString('base64')}`,
  'shop/hmac': 'generic-hmac-key',
};

const routes = {
  shopify: { preset: 'shopify-orders-create', auth: { secret: 'shop/shopify' } },
  woo: { preset: 'woocommerce-order-created', auth: { secret: 'shop/woo' } },
  tilda: {
    preset: 'tilda-form',
    auth: { secret: 'demo/hook-token' },
    call: { params: { operator: '74951234567' } },
  },
  typeform: { preset: 'typeform-form-response', auth: { secret: 'shop/typeform' } },
  stripe: { preset: 'stripe-checkout-completed', auth: { secret: 'shop/stripe' } },
  standard: { preset: 'generic', auth: { type: 'standard-webhooks', secret: 'shop/standard' } },
  hmac: {
    preset: 'generic',
    auth: {
      type: 'hmac',
      secret: 'shop/hmac',
      header: 'X-Signature',
      algorithm: 'sha512',
      encoding: 'hex',
      prefix: 'sha512=',
      timestamp_header: 'X-Signature-Timestamp',
    },
  },
  generic: {
    preset: 'generic',
    auth: { secret: 'demo/hook-token' },
    allowed_countries: ['RU', 'KZ'],
    max_message_length: 60,
  },
};

const config = parseConfig(
  {
    accounts: {
      demo: { provider: 'simulator', secret: 'demo/callapi', virtual_phone_number: '74993720692' },
    },
    routes: Object.fromEntries(
      Object.entries(routes).map(([name, route]) => [name, { account: 'demo', ...route }]),
    ),
    per_number_daily_limit: 2,
  },
  'webhook-sources test',
);

interface Sender {
  route: keyof typeof routes;
  secret: string;
  sign: (secret: string, body: string, at?: number) => SignedRequest;
  payload: (phone: string, n?: number) => unknown;
  /** The TTS text the preset builds, or undefined for an operator call. */
  message?: string;
  signatureHeader: string;
  hasTimestamp: boolean;
}

const senders: Sender[] = [
  {
    route: 'shopify',
    secret: SECRETS['shop/shopify'],
    sign: signShopify,
    payload: shopifyOrder,
    message: 'Здравствуйте, Anna! Ваш заказ №1042 на сумму 2500 рублей подтверждён. Спасибо!',
    signatureHeader: 'x-shopify-hmac-sha256',
    hasTimestamp: false,
  },
  {
    route: 'woo',
    secret: SECRETS['shop/woo'],
    sign: signWooCommerce,
    payload: wooOrder,
    message: 'Здравствуйте, Boris! Ваш заказ №727 на сумму 1990 рублей подтверждён. Спасибо!',
    signatureHeader: 'x-wc-webhook-signature',
    hasTimestamp: false,
  },
  {
    route: 'typeform',
    secret: SECRETS['shop/typeform'],
    sign: signTypeform,
    payload: typeformResponse,
    message: 'Спасибо за ваши ответы! Мы скоро с вами свяжемся.',
    signatureHeader: 'typeform-signature',
    hasTimestamp: false,
  },
  {
    route: 'stripe',
    secret: SECRETS['shop/stripe'],
    sign: signStripe,
    payload: stripeCheckoutCompleted,
    message: 'Спасибо! Ваш платёж на сумму 1990 рублей подтверждён.',
    signatureHeader: 'stripe-signature',
    hasTimestamp: true,
  },
  {
    route: 'standard',
    secret: SECRETS['shop/standard'],
    sign: (secret, body, at) => signStandardWebhook(secret, body, at),
    payload: (phone) => ({ phone, message: 'Your table is booked for 19:00.' }),
    message: 'Your table is booked for 19:00.',
    signatureHeader: 'webhook-signature',
    hasTimestamp: true,
  },
  {
    route: 'hmac',
    secret: SECRETS['shop/hmac'],
    sign: signGenericHmac,
    payload: (phone) => ({ phone, message: 'Your parcel is on its way.' }),
    message: 'Your parcel is on its way.',
    signatureHeader: 'x-signature',
    hasTimestamp: true,
  },
];

describe('Webhook sources: presets and sender verification', () => {
  let runtime: TestRuntime;
  const nextPhone = freshPhones('100');

  beforeAll(async () => {
    runtime = await startTestRuntime({ config, secrets: SECRETS, sweepIntervalMs: 0 });
  });
  afterAll(() => runtime.stop());

  const send = (route: string, signed: SignedRequest, query = '') =>
    postSigned(runtime.bridgeUrl, route, signed, { query });

  /** Nothing new stored or queued by `act`. */
  const expectNothingStored = async (act: () => Promise<unknown>) => {
    const stored = await runtime.storedCalls();
    const sent = runtime.queue.sentCount;
    await act();
    expect(await runtime.storedCalls()).toBe(stored);
    expect(runtime.queue.sentCount).toBe(sent);
  };

  /** One more record, `skipped`, and nothing queued: an authentic event that must not ring. */
  const expectOneSkipped = async (act: () => Promise<unknown>) => {
    const stored = await runtime.storedCalls();
    const sent = runtime.queue.sentCount;
    await act();
    expect(await runtime.storedCalls()).toBe(stored + 1);
    expect(runtime.queue.sentCount).toBe(sent);
  };

  it.each(senders)('$route: a signed event of the documented shape places the call', async (s) => {
    const phone = nextPhone();
    const answer = await send(s.route, s.sign(s.secret, JSON.stringify(s.payload(phone))));

    expect(answer.status).toBe(202);
    await waitForStatus(runtime.bridgeUrl, String(answer.body.call_id), 'placed');
    const call = runtime.simulator
      .calls()
      .find((c) => c.params.external_id === answer.body.call_id);
    expect(call?.params).toMatchObject({
      contact: phone.slice(1),
      virtual_phone_number: '74993720692',
      ...(s.message !== undefined && { contact_message: { type: 'tts', value: s.message } }),
    });
  });

  it.each(senders)('$route: a repeated delivery is the same call', async (s) => {
    const signed = s.sign(s.secret, JSON.stringify(s.payload(nextPhone(), 1)));

    const first = await send(s.route, signed);
    const again = await send(s.route, signed);

    expect(first.status).toBe(202);
    expect(again).toMatchObject({ status: 200, body: { call_id: first.body.call_id } });
  });

  it.each(senders)('$route: a tampered body is refused and nothing stored', async (s) => {
    const signed = s.sign(s.secret, JSON.stringify(s.payload(nextPhone())));
    const tampered = { ...signed, body: signed.body.replace('+7926', '+7903') };

    await expectNothingStored(async () => {
      const answer = await send(s.route, tampered);
      expect(answer).toMatchObject({ status: 401, body: { code: 'invalid_signature' } });
    });
  });

  it.each(senders)('$route: a wrong secret is refused', async (s) => {
    const wrong = s.secret.startsWith('whsec_')
      ? `whsec_${randomBytes(24).toString('base64')}`
      : `${s.secret}x`;

    await expectNothingStored(async () => {
      const answer = await send(s.route, s.sign(wrong, JSON.stringify(s.payload(nextPhone()))));
      expect(answer).toMatchObject({ status: 401, body: { code: 'invalid_signature' } });
    });
  });

  it.each(senders)('$route: a missing signature header is refused as unauthorized', async (s) => {
    const signed = s.sign(s.secret, JSON.stringify(s.payload(nextPhone())));
    const { [s.signatureHeader]: _, ...headers } = signed.headers;

    await expectNothingStored(async () => {
      const answer = await send(s.route, { ...signed, headers });
      expect(answer).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
    });
  });

  it.each(senders.filter((s) => s.hasTimestamp))(
    '$route: a signature made 10 minutes ago is refused',
    async (s) => {
      const stale = Math.floor(Date.now() / 1000) - 600;
      const signed = s.sign(s.secret, JSON.stringify(s.payload(nextPhone())), stale);

      await expectNothingStored(async () => {
        const answer = await send(s.route, signed);
        expect(answer).toMatchObject({ status: 401, body: { code: 'invalid_signature' } });
      });
    },
  );

  it("answers WooCommerce's unsigned creation ping with 200 and no call", async () => {
    await expectNothingStored(async () => {
      const answer = await postHook(runtime.bridgeUrl, 'woo', null, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        raw: 'webhook_id=42',
        token: null,
      });
      expect(answer).toMatchObject({
        status: 200,
        body: { status: 'ignored', reason: 'woocommerce_ping' },
      });
    });
  });

  it('places a Tilda form post (form-urlencoded, token in the URL), keyed by tranid', async () => {
    const phone = nextPhone();
    const body = new URLSearchParams({
      Name: 'Dina',
      Phone: phone,
      tranid: '123456:789',
      formid: 'form1',
    });
    const post = () =>
      postHook(runtime.bridgeUrl, `tilda?token=${HOOK_TOKEN}`, null, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        raw: body.toString(),
        token: null,
      });

    const first = await post();
    const again = await post();

    expect(first.status).toBe(202);
    expect(again.body).toMatchObject({ call_id: first.body.call_id, duplicate: true });
    await waitForStatus(runtime.bridgeUrl, String(first.body.call_id), 'placed');
    const call = runtime.simulator.calls().find((c) => c.params.external_id === first.body.call_id);
    expect(call).toMatchObject({
      method: 'start.simple_call',
      params: { contact: phone.slice(1), operator: '74951234567', first_call: 'operator' },
    });
  });

  it("answers Tilda's test=test connection check with 200 and no call", async () => {
    await expectNothingStored(async () => {
      const answer = await postHook(runtime.bridgeUrl, `tilda?token=${HOOK_TOKEN}`, null, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        raw: 'test=test',
        token: null,
      });
      expect(answer).toMatchObject({ status: 200, body: { status: 'ignored' } });
    });
  });

  it('ignores a Stripe event of another type, and an order without a phone', async () => {
    const stripeSecret = SECRETS['shop/stripe'];
    const refund = stripeCheckoutCompleted(nextPhone(), 2, 'charge.refunded');
    const noPhone = { ...shopifyOrder(''), shipping_address: { phone: null } };

    await expectNothingStored(async () => {
      const stripe = await send('stripe', signStripe(stripeSecret, JSON.stringify(refund)));
      const shopify = await send(
        'shopify',
        signShopify(SECRETS['shop/shopify'], JSON.stringify(noPhone)),
      );
      expect(stripe).toMatchObject({ status: 200, body: { status: 'ignored' } });
      expect(shopify).toMatchObject({ status: 200, body: { status: 'ignored' } });
    });
  });

  it('reads the fields of a generic webhook from query parameters', async () => {
    const phone = nextPhone();
    const query = new URLSearchParams({ phone, message: 'Query works.' });

    const answer = await postHook(runtime.bridgeUrl, `generic?${query}`, {}, {});

    expect(answer.status).toBe(202);
    await waitForStatus(runtime.bridgeUrl, String(answer.body.call_id), 'placed');
  });

  it.each([
    ['a number outside the allowed countries', '+49 30 901820', 'country_not_allowed', 422],
    ['a premium-rate number', '8 809 123 45 67', 'number_type_not_allowed', 422],
    ["the account's own virtual number", '+7 499 372 06 92', 'own_number', 422],
  ])('refuses %s, and keeps the event as skipped', async (_, phone, code, status) => {
    await expectOneSkipped(async () => {
      const answer = await postHook(runtime.bridgeUrl, 'generic', { phone, message: 'Hi' });
      expect(answer).toMatchObject({ status, body: { code } });
    });
  });

  it('calls a number in another allowed country', async () => {
    const answer = await postHook(runtime.bridgeUrl, 'generic', {
      phone: '+7 701 123 4567',
      message: 'Salem!',
    });
    expect(answer.status).toBe(202);
  });

  it('refuses a message longer than the route allows, and keeps the event as skipped', async () => {
    await expectOneSkipped(async () => {
      const answer = await postHook(runtime.bridgeUrl, 'generic', {
        phone: nextPhone(),
        message: 'x'.repeat(61),
      });
      expect(answer).toMatchObject({ status: 422, body: { code: 'message_too_long' } });
    });
  });

  it('refuses a third call to one number within 24 hours, across routes, with 429', async () => {
    const phone = nextPhone();
    const first = await postHook(runtime.bridgeUrl, 'generic', { phone, message: 'one' });
    const tilda = await postHook(runtime.bridgeUrl, `tilda?token=${HOOK_TOKEN}`, null, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      raw: new URLSearchParams({ Phone: phone }).toString(),
      token: null,
    });
    await queueIdle(runtime.queue);

    // Not skipped where the route rejects: the sender is told when to try again, and then may.
    await expectNothingStored(async () => {
      const third = await postHook(runtime.bridgeUrl, 'generic', { phone, message: 'three' });
      expect(third).toMatchObject({ status: 429, body: { code: 'contact_rate_limited' } });
      // Until the first of the two calls leaves the 24-hour window: a little under a day.
      const retryAfter = Number(third.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(86_400 - 60);
      expect(retryAfter).toBeLessThanOrEqual(86_400);
    });
    const repeat = await postHook(runtime.bridgeUrl, 'generic', { phone, message: 'one' });
    expect([first.status, tilda.status, repeat.status]).toEqual([202, 202, 200]);
  });
});
