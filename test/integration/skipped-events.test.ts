import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoConfig } from '../support/configs.ts';
import { freshPhones, getCall, postHook, postSigned, waitForStatus } from '../support/http.ts';
import { HOOK_TOKEN, queueIdle, startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import {
  shopifyOrder,
  stripeCheckoutCompleted,
  typeformResponse,
  wooOrder,
} from '../support/sender-payloads.ts';
import {
  type SignedRequest,
  signShopify,
  signStripe,
  signTypeform,
  signWooCommerce,
} from '../support/senders.ts';

/*
 * Senders switch a webhook off after failed deliveries. An authentic event that must not ring
 * is kept as `skipped` with its reason and, on the shop presets, answered 200, so that odd
 * orders never cost the shop its webhook; a retry of it is a repeat that places nothing.
 */

const SECRETS = {
  'shop/shopify': 'shpss_skipped_events',
  'shop/woo': 'woo-skipped-events',
  'shop/typeform': 'typeform-skipped-events',
  'shop/stripe': 'whsec_skipped_events',
};

const config = demoConfig(
  {
    shopify: {
      preset: 'shopify-orders-create',
      auth: { secret: 'shop/shopify' },
    },
    'shopify-tests-call': {
      preset: 'shopify-orders-create',
      auth: { secret: 'shop/shopify' },
      test_events: 'call',
    },
    woo: { preset: 'woocommerce-order-created', auth: { secret: 'shop/woo' } },
    typeform: {
      preset: 'typeform-form-response',
      auth: { secret: 'shop/typeform' },
    },
    stripe: {
      preset: 'stripe-checkout-completed',
      auth: { secret: 'shop/stripe' },
    },
    tilda: {
      preset: 'tilda-form',
      auth: { secret: 'demo/hook-token' },
      call: { params: { operator: '74951234567' } },
    },
  },
  {},
  'skipped-events test',
);

/** Shopify's published sample order, as its "Send test notification" delivers it. */
const shopifySampleOrder = (shippingPhone: string) => ({
  ...shopifyOrder(shippingPhone, 9999),
  test: true,
  name: '#9999',
  email: 'jon@example.com',
  shipping_address: { first_name: 'Steve', last_name: 'Shipper', phone: shippingPhone },
});

interface Preset {
  route: string;
  deliver: (runtime: TestRuntime, phone: string, n: number) => Promise<Record<string, unknown>>;
}

const signed =
  (
    route: string,
    sign: (body: string) => SignedRequest,
    payload: (phone: string, n: number) => unknown,
  ) =>
  async (runtime: TestRuntime, phone: string, n: number) =>
    (await postSigned(runtime.bridgeUrl, route, sign(JSON.stringify(payload(phone, n))))).body;

const presets: Preset[] = [
  {
    route: 'shopify',
    deliver: signed('shopify', (b) => signShopify(SECRETS['shop/shopify'], b), shopifyOrder),
  },
  {
    route: 'woo',
    deliver: signed('woo', (b) => signWooCommerce(SECRETS['shop/woo'], b), wooOrder),
  },
  {
    route: 'typeform',
    deliver: signed('typeform', (b) => signTypeform(SECRETS['shop/typeform'], b), typeformResponse),
  },
  {
    route: 'stripe',
    deliver: signed(
      'stripe',
      (b) => signStripe(SECRETS['shop/stripe'], b),
      stripeCheckoutCompleted,
    ),
  },
  {
    route: 'tilda',
    deliver: async (runtime, phone, n) =>
      (
        await postHook(runtime.bridgeUrl, `tilda?token=${HOOK_TOKEN}`, null, {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          raw: new URLSearchParams({ Phone: phone, tranid: `77:${n}` }).toString(),
          token: null,
        })
      ).body,
  },
];

describe('Skipped events: authentic deliveries that must not ring', () => {
  let runtime: TestRuntime;
  const nextPhone = freshPhones('300');
  let n = 0;

  beforeAll(async () => {
    runtime = await startTestRuntime({ config, secrets: SECRETS, sweepIntervalMs: 0 });
  });
  afterAll(() => runtime.stop());

  it.each(presets)(
    '$route: an undiallable phone is answered 200 skipped, stored once, and its retry is a repeat',
    async (preset) => {
      n += 1;
      const storedBefore = await runtime.storedCalls();
      const sentBefore = runtime.queue.sentCount;

      const first = await preset.deliver(runtime, '+7 926 12', n);
      const retry = await preset.deliver(runtime, '+7 926 12', n);

      expect(first).toMatchObject({ status: 'skipped', reason: 'invalid_phone', duplicate: false });
      expect(retry).toMatchObject({ call_id: first.call_id, status: 'skipped', duplicate: true });
      expect(await runtime.storedCalls()).toBe(storedBefore + 1);
      expect(runtime.queue.sentCount).toBe(sentBefore);
      const { body: view } = await getCall(runtime.bridgeUrl, String(first.call_id));
      expect(view).toMatchObject({
        status: 'skipped',
        route: preset.route,
        method: null,
        error: { reason: 'invalid_phone' },
        history: [expect.objectContaining({ status: 'skipped' })],
      });
      expect(String(view.contact)).not.toContain('926');
    },
  );

  it("skips Shopify's sample test order as test_event, and places it where test events call", async () => {
    const sign = (order: unknown) => signShopify(SECRETS['shop/shopify'], JSON.stringify(order));
    const sample = await postSigned(
      runtime.bridgeUrl,
      'shopify',
      sign(shopifySampleOrder('555-555-SHIP')),
    );
    const phone = nextPhone();
    const own = await postSigned(
      runtime.bridgeUrl,
      'shopify-tests-call',
      sign(shopifySampleOrder(phone)),
    );

    expect(sample).toMatchObject({
      status: 200,
      body: { status: 'skipped', reason: 'test_event' },
    });
    expect(own.status).toBe(202);
    expect(own.headers.get('location')).toBe(`/calls/${own.body.call_id}`);
    await waitForStatus(runtime.bridgeUrl, String(own.body.call_id), 'placed');
    expect(
      runtime.simulator.calls().filter((c) => c.params.contact === phone.slice(1)),
    ).toHaveLength(1);
  });

  it('skips a Stripe event from test mode', async () => {
    const testMode = { ...stripeCheckoutCompleted(nextPhone(), 700), livemode: false };

    const answer = await postSigned(
      runtime.bridgeUrl,
      'stripe',
      signStripe(SECRETS['shop/stripe'], JSON.stringify(testMode)),
    );

    expect(answer).toMatchObject({
      status: 200,
      body: { status: 'skipped', reason: 'test_event' },
    });
  });

  it('answers six undiallable WooCommerce orders in a row with 2xx, so the webhook stays on', async () => {
    const dialledBefore = runtime.simulator.calls().length;
    const statuses: number[] = [];
    for (const phone of [
      '12',
      '+49 30 901820',
      '8 809 123 45 67',
      '+7 499 372 06 92',
      'call me',
      '0',
    ]) {
      n += 1;
      const order = wooOrder(phone, 100 + n);
      const answer = await postSigned(
        runtime.bridgeUrl,
        'woo',
        signWooCommerce(SECRETS['shop/woo'], JSON.stringify(order)),
      );
      statuses.push(answer.status);
    }
    await queueIdle(runtime.queue);

    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect(runtime.simulator.calls()).toHaveLength(dialledBefore);
  });

  it('answers an order whose number had its calls today 200 skipped, contact_rate_limited', async () => {
    const phone = nextPhone();
    const answers: unknown[] = [];
    for (let order = 0; order < 4; order += 1) {
      n += 1;
      const body = JSON.stringify(wooOrder(phone, 200 + n));
      answers.push(
        (await postSigned(runtime.bridgeUrl, 'woo', signWooCommerce(SECRETS['shop/woo'], body)))
          .body,
      );
    }

    expect(answers.slice(0, 3)).toEqual([
      expect.objectContaining({ status: 'queued' }),
      expect.objectContaining({ status: 'queued' }),
      expect.objectContaining({ status: 'queued' }),
    ]);
    expect(answers[3]).toMatchObject({ status: 'skipped', reason: 'contact_rate_limited' });
  });

  it('still stores nothing for an unsigned delivery', async () => {
    const stored = await runtime.storedCalls();
    const body = JSON.stringify(wooOrder('+7 926 12', 999));

    const answer = await postSigned(runtime.bridgeUrl, 'woo', signWooCommerce('wrong', body));

    expect(answer.status).toBe(401);
    expect(await runtime.storedCalls()).toBe(stored);
  });
});
