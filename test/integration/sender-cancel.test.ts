import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoConfig } from '../support/configs.ts';
import { freshPhones, getCall, postSigned, waitForStatus } from '../support/http.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import {
  shopifyOrder,
  stripeChargeRefunded,
  stripeCheckoutCompleted,
  stripeCheckoutExpired,
  wooOrder,
} from '../support/sender-payloads.ts';
import { signShopify, signStripe, signWooCommerce } from '../support/senders.ts';

/*
 * A shop cancels an order minutes after placing it: the cancelling route's event reaches the
 * order's call whichever comes first, and no attempt goes out after the word was answered.
 * The payloads are the senders' documented shapes: Shopify's `orders/cancelled` is the order
 * with `cancelled_at` and `cancel_reason`; WooCommerce's `order.updated` is the order with its
 * new `status`, and `order.deleted` only `{"id": …}`.
 */

const SECRETS = {
  'shop/shopify': 'shpss_sender_cancel',
  'shop/woo': 'woo-sender-cancel',
  'shop/stripe': 'whsec_sender_cancel',
};

/** Today and tomorrow (UTC) as holidays: calls on such a route wait, `scheduled`. */
const holidaysNow = (): string[] => {
  const day = 86_400_000;
  return [0, 1, 2].map((n) => new Date(Date.now() + n * day).toISOString().slice(0, 10));
};

const waiting = {
  calling_hours: { time_zone: 'UTC', from: '00:00', to: '23:59', holidays: holidaysNow() },
};

const config = demoConfig(
  {
    shop: { preset: 'shopify-orders-create', auth: { secret: 'shop/shopify' }, ...waiting },
    'shop-cancelled': {
      preset: 'shopify-orders-cancelled',
      auth: { secret: 'shop/shopify' },
      cancels: 'shop',
    },
    'shop-now': { preset: 'shopify-orders-create', auth: { secret: 'shop/shopify' } },
    'shop-now-cancelled': {
      preset: 'shopify-orders-cancelled',
      auth: { secret: 'shop/shopify' },
      cancels: 'shop-now',
    },
    woo: { preset: 'woocommerce-order-created', auth: { secret: 'shop/woo' }, ...waiting },
    'woo-cancelled': {
      preset: 'woocommerce-order-cancelled',
      auth: { secret: 'shop/woo' },
      cancels: 'woo',
    },
    // Keyed on what a refund shares with the payment: its payment intent.
    pay: {
      preset: 'stripe-checkout-completed',
      auth: { secret: 'shop/stripe' },
      idempotency_key: 'data.object.payment_intent',
      ...waiting,
    },
    'pay-refunded': {
      preset: 'stripe-charge-refunded',
      auth: { secret: 'shop/stripe' },
      cancels: 'pay',
    },
    // Keyed on the Checkout Session, which its expiry names.
    checkout: {
      preset: 'stripe-checkout-completed',
      auth: { secret: 'shop/stripe' },
      idempotency_key: 'data.object.id',
      ...waiting,
    },
    'checkout-expired': {
      preset: 'stripe-checkout-expired',
      auth: { secret: 'shop/stripe' },
      cancels: 'checkout',
    },
  },
  {},
  'sender-cancel test',
);

const shopifyCancel = (order: ReturnType<typeof shopifyOrder>, extra = {}) => ({
  ...order,
  cancelled_at: new Date().toISOString(),
  cancel_reason: 'customer',
  financial_status: 'voided',
  ...extra,
});

describe('Cancel on the sender’s word (cancelling routes, against the local runtime)', () => {
  let runtime: TestRuntime;
  const phone = freshPhones('551');
  let orderNumber = 0;
  /** Another order number each time: every test's orders are its own. */
  const nextNumber = () => {
    orderNumber += 1;
    return orderNumber;
  };
  const nextOrder = () => shopifyOrder(phone(), nextNumber());

  const post = (route: string, payload: unknown, headers: Record<string, string> = {}) => {
    const body = JSON.stringify(payload);
    const signed = route.startsWith('woo')
      ? signWooCommerce(SECRETS['shop/woo'], body)
      : route.startsWith('pay') || route.startsWith('checkout')
        ? signStripe(SECRETS['shop/stripe'], body)
        : signShopify(SECRETS['shop/shopify'], body);
    return postSigned(runtime.bridgeUrl, route, {
      ...signed,
      headers: { ...signed.headers, ...headers },
    });
  };

  /** Whether the simulated provider was ever asked to call this number. */
  const rang = (number: string): boolean =>
    runtime.simulator.calls().some((call) => call.params.contact === number.replace('+', ''));

  beforeAll(async () => {
    runtime = await startTestRuntime({ config, secrets: SECRETS });
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('cancels a waiting call, and answers a repeat of the word as a duplicate', async () => {
    const order = nextOrder();
    const placed = await post('shop', order);
    expect(placed.status).toBe(202);
    expect(placed.body.status).toBe('scheduled');

    const word = await post('shop-cancelled', shopifyCancel(order));
    const again = await post('shop-cancelled', shopifyCancel(order));

    expect([word.status, word.body]).toEqual([
      200,
      {
        status: 'cancel_recorded',
        call_id: placed.body.call_id,
        call_status: 'cancelled',
        duplicate: false,
      },
    ]);
    expect(again.body).toMatchObject({ call_status: 'cancelled', duplicate: true });
    const call = (await getCall(runtime.bridgeUrl, placed.body.call_id as string)).body;
    expect(call.status).toBe('cancelled');
    expect(JSON.stringify(call.history)).toContain('cancelled_by_sender: route shop-cancelled');
  });

  it('keeps a word that comes before its order, and skips the order when it comes', async () => {
    const order = nextOrder();

    const word = await post('shop-cancelled', shopifyCancel(order));
    const late = await post('shop', order);

    expect(word.body).toMatchObject({ call_status: 'skipped', duplicate: false });
    expect([late.status, late.body]).toEqual([
      200,
      {
        call_id: word.body.call_id,
        status: 'skipped',
        reason: 'cancelled_by_sender',
        duplicate: true,
      },
    ]);
    expect((await getCall(runtime.bridgeUrl, word.body.call_id as string)).body.status).toBe(
      'skipped',
    );
  });

  it('rings no one whose cancel was answered, however the order and its cancel race', async () => {
    const orders = Array.from({ length: 12 }, () => nextOrder());
    const answers = await Promise.all(
      orders.map(async (order, n) => {
        const cancel = () => post('shop-now-cancelled', shopifyCancel(order));
        // Half the time the order is sent first, half the time its cancel.
        const [word] =
          n % 2 === 0
            ? (await Promise.all([cancel(), post('shop-now', order)])).slice(0, 1)
            : (await Promise.all([post('shop-now', order), cancel()])).slice(1);
        if (word === undefined) throw new Error('no answer to the cancel');
        return { number: order.shipping_address.phone, word };
      }),
    );
    for (const { word } of answers) {
      const settled = await getCall(runtime.bridgeUrl, word.body.call_id as string);
      // A call the dispatcher held when the word came is left to be placed.
      if (settled.body.status === 'dialing') {
        await waitForStatus(runtime.bridgeUrl, word.body.call_id as string, 'placed');
      }
    }

    for (const { number, word } of answers) {
      expect(word.status).toBe(200);
      // Cancelled or skipped before any attempt: the provider never heard of the number.
      if (['cancelled', 'skipped'].includes(word.body.call_status as string)) {
        expect(rang(number), number).toBe(false);
      }
      const call = (await getCall(runtime.bridgeUrl, word.body.call_id as string)).body;
      expect(call.cancelled_by_sender, number).toMatchObject({ route: 'shop-now-cancelled' });
    }
  });

  it('leaves a ringing call to end, and stops what would follow it', async () => {
    const order = nextOrder();
    const placed = await post('shop-now', order);
    await waitForStatus(runtime.bridgeUrl, placed.body.call_id as string, 'placed');

    const word = await post('shop-now-cancelled', shopifyCancel(order));

    expect(word.body).toMatchObject({ call_status: 'placed', duplicate: false });
    const call = (await getCall(runtime.bridgeUrl, placed.body.call_id as string)).body;
    expect(JSON.stringify(call.history)).toContain('none follows it');
  });

  it('lets a test delivery of the cancel go, and names the call by the signed body alone', async () => {
    const order = nextOrder();
    const placed = await post('shop', order);
    const other = nextOrder();
    await post('shop', other);

    const test = await post('shop-cancelled', shopifyCancel(order, { test: true }));
    // The header is not signed: a Shopify route never lets it name the event.
    const word = await post('shop-cancelled', shopifyCancel(order), {
      'idempotency-key': String(other.id),
    });

    expect(test.body).toEqual({ status: 'ignored', reason: 'test_event' });
    expect(word.body.call_id).toBe(placed.body.call_id);
    expect((await getCall(runtime.bridgeUrl, placed.body.call_id as string)).body.status).toBe(
      'cancelled',
    );
  });

  it('takes WooCommerce’s order.updated to cancelled and its order.deleted, not other updates', async () => {
    const updated = wooOrder(phone(), nextNumber());
    const deleted = wooOrder(phone(), nextNumber());
    const callOf = async (order: ReturnType<typeof wooOrder>) =>
      (await post('woo', order)).body.call_id as string;
    const [updatedCall, deletedCall] = [await callOf(updated), await callOf(deleted)];

    const completed = await post('woo-cancelled', { ...updated, status: 'completed' });
    const cancelled = await post('woo-cancelled', { ...updated, status: 'cancelled' });
    const gone = await post('woo-cancelled', { id: deleted.id });

    expect(completed.body).toEqual({ status: 'ignored', reason: 'condition_not_met' });
    expect(cancelled.body).toMatchObject({ call_id: updatedCall, call_status: 'cancelled' });
    expect(gone.body).toMatchObject({ call_id: deletedCall, call_status: 'cancelled' });
  });

  it('takes Stripe’s charge.refunded by its payment intent, and checkout.session.expired by its session', async () => {
    const paid = stripeCheckoutCompleted(phone(), nextNumber());
    const paidCall = (await post('pay', paid)).body.call_id as string;
    const refund = stripeChargeRefunded(orderNumber);
    const started = { ...stripeCheckoutCompleted(phone(), nextNumber()) };
    started.data.object.id = `cs_live_a1b2c3${orderNumber}`;
    const startedCall = (await post('checkout', started)).body.call_id as string;

    const refunded = await post('pay-refunded', refund);
    const expired = await post('checkout-expired', stripeCheckoutExpired(started.data.object.id));
    const testMode = await post('pay-refunded', { ...refund, livemode: false });

    expect(refunded.body).toMatchObject({ call_id: paidCall, call_status: 'cancelled' });
    expect(expired.body).toMatchObject({ call_id: startedCall, call_status: 'cancelled' });
    expect(testMode.body).toEqual({ status: 'ignored', reason: 'test_event' });
  });
});
