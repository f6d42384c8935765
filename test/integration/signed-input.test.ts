import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoConfig } from '../support/configs.ts';
import { freshPhones, postHook, postSigned } from '../support/http.ts';
import { queueIdle, startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { shopifyOrder, stripeCheckoutCompleted, wooOrder } from '../support/sender-payloads.ts';
import {
  type SignedRequest,
  signGenericHmac,
  signShopify,
  signStandardWebhook,
  signStripe,
  signWooCommerce,
} from '../support/senders.ts';

/*
 * Only signed bytes decide: on a route whose sender signs, nothing unsigned (query parameters,
 * an Idempotency-Key header, the Content-Type) changes whom we call, what we say, or which call
 * an event is. Replaying one delivery with unsigned changes must never ring anyone again.
 */

const SECRETS = {
  'shop/shopify': 'shpss_signed_input',
  'shop/woo': 'woo-signed-input',
  'shop/stripe': 'whsec_signed_input',
  'shop/standard': `whsec_${randomBytes(24).toString('base64')}`,
  'shop/hmac': 'signed-input-hmac-key',
};

const config = demoConfig(
  {
    shopify: {
      preset: 'shopify-orders-create',
      auth: { secret: 'shop/shopify' },
    },
    woo: { preset: 'woocommerce-order-created', auth: { secret: 'shop/woo' } },
    stripe: {
      preset: 'stripe-checkout-completed',
      auth: { secret: 'shop/stripe' },
    },
    standard: {
      preset: 'generic',
      auth: { type: 'standard-webhooks', secret: 'shop/standard' },
    },
    hmac: {
      preset: 'generic',
      auth: {
        type: 'hmac',
        secret: 'shop/hmac',
        header: 'X-Signature',
        algorithm: 'sha512',
        prefix: 'sha512=',
        timestamp_header: 'X-Signature-Timestamp',
      },
    },
    generic: { preset: 'generic', auth: { secret: 'demo/hook-token' } },
  },
  {
    per_number_daily_limit: 10,
  },
  'signed-input test',
);

interface SignedSender {
  route: string;
  sign: (body: string) => SignedRequest;
  /** Event `n` of the sender's shape, calling `phone` or naming no phone at all. */
  payload: (phone: string | null, n: number) => unknown;
}

const signedSenders: SignedSender[] = [
  {
    route: 'shopify',
    sign: (body) => signShopify(SECRETS['shop/shopify'], body),
    payload: (phone, n) => shopifyOrder(phone as string, n),
  },
  {
    route: 'woo',
    sign: (body) => signWooCommerce(SECRETS['shop/woo'], body),
    payload: (phone, n) => wooOrder(phone ?? '', n),
  },
  {
    route: 'stripe',
    sign: (body) => signStripe(SECRETS['shop/stripe'], body),
    payload: (phone, n) => stripeCheckoutCompleted(phone as string, n),
  },
  {
    route: 'standard',
    sign: (body) => signStandardWebhook(SECRETS['shop/standard'], body),
    payload: (phone, n) => ({ ...(phone !== null && { phone }), message: `Booked, table ${n}.` }),
  },
  {
    route: 'hmac',
    sign: (body) => signGenericHmac(SECRETS['shop/hmac'], body),
    payload: (phone, n) => ({
      ...(phone !== null && { phone }),
      message: `Parcel ${n} is on its way.`,
    }),
  },
];

const ATTACKER_PHONE = '+79265550404';

describe('Only signed bytes decide a signed call', () => {
  let runtime: TestRuntime;
  const nextPhone = freshPhones('200');

  beforeAll(async () => {
    runtime = await startTestRuntime({ config, secrets: SECRETS, sweepIntervalMs: 0 });
  });
  afterAll(() => runtime.stop());

  const send = (
    route: string,
    signed: SignedRequest,
    init: { query?: string; headers?: Record<string, string> } = {},
  ) => postSigned(runtime.bridgeUrl, route, signed, init);

  const dialled = (phone: string) =>
    runtime.simulator.calls().filter((call) => call.params.contact === phone.slice(1)).length;

  it.each(signedSenders)(
    '$route: replays with new Idempotency-Key headers are the same call',
    async (s) => {
      const phone = nextPhone();
      const signed = s.sign(JSON.stringify(s.payload(phone, Number(phone.slice(-4)))));

      const first = await send(s.route, signed);
      const replays = [
        await send(s.route, signed, { headers: { 'idempotency-key': 'replay-1' } }),
        await send(s.route, signed, { headers: { 'idempotency-key': 'replay-2' } }),
      ];
      await queueIdle(runtime.queue);

      expect(first.status).toBe(202);
      for (const replay of replays) {
        expect(replay).toMatchObject({
          status: 200,
          body: { call_id: first.body.call_id, duplicate: true },
        });
      }
      expect(dialled(phone)).toBe(1);
    },
  );

  it.each(signedSenders)(
    '$route: query parameters neither join the payload nor make another call',
    async (s) => {
      const phone = nextPhone();
      const signed = s.sign(JSON.stringify(s.payload(phone, Number(phone.slice(-4)))));

      const first = await send(s.route, signed, {
        query: `?phone=${encodeURIComponent(ATTACKER_PHONE)}&x=1`,
      });
      const again = await send(s.route, signed, { query: '?x=2' });
      await queueIdle(runtime.queue);

      expect(first.status).toBe(202);
      expect(again).toMatchObject({ status: 200, body: { call_id: first.body.call_id } });
      expect(dialled(phone)).toBe(1);
    },
  );

  it.each(signedSenders)(
    '$route: a signed event without a phone does not call a phone from the query',
    async (s) => {
      const signed = s.sign(JSON.stringify(s.payload(null, 1000 + Number(nextPhone().slice(-4)))));

      const answer = await send(s.route, signed, {
        query: `?phone=${encodeURIComponent(ATTACKER_PHONE)}`,
      });
      await queueIdle(runtime.queue);

      expect(answer.status).not.toBe(202);
      expect(dialled(ATTACKER_PHONE)).toBe(0);
    },
  );

  it('a signed JSON body sent again as a form is not another event', async () => {
    // A customer-written field can hold form syntax; the Content-Type is not signed.
    const phone = nextPhone();
    const body = JSON.stringify({
      phone,
      message: `Note&phone=${encodeURIComponent(ATTACKER_PHONE)}&message=Hi`,
    });
    const signed = signGenericHmac(SECRETS['shop/hmac'], body);

    const first = await send('hmac', signed);
    const asForm = await send('hmac', signed, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    await queueIdle(runtime.queue);

    expect(first.status).toBe(202);
    expect(asForm).toMatchObject({ status: 200, body: { call_id: first.body.call_id } });
    expect(dialled(ATTACKER_PHONE)).toBe(0);
  });

  it('ignores a signed order older than the records are kept: its record may be gone, and it is a replay', async () => {
    const phone = nextPhone();
    const dayMs = 86_400_000;
    const placedOn = (ageMs: number) =>
      signShopify(
        SECRETS['shop/shopify'],
        JSON.stringify({
          ...shopifyOrder(phone, 9000 + Math.round(ageMs / dayMs)),
          created_at: new Date(Date.now() - ageMs).toISOString(),
        }),
      );

    const stale = await send('shopify', placedOn(31 * dayMs));
    const recent = await send('shopify', placedOn(dayMs));
    await queueIdle(runtime.queue);

    expect(stale).toMatchObject({
      status: 200,
      body: { status: 'ignored', reason: 'stale_event' },
    });
    expect(recent.status).toBe(202);
    expect(dialled(phone)).toBe(1);
  });

  it("standard-webhooks: the signed webhook-id is the event's key", async () => {
    const body = JSON.stringify({ phone: nextPhone(), message: 'Booked for 20:00.' });
    const at = Math.floor(Date.now() / 1000);
    const signed = (id: string) => signStandardWebhook(SECRETS['shop/standard'], body, at, id);

    const first = await send('standard', signed('msg_one'));
    const retry = await send('standard', signed('msg_one'));
    const other = await send('standard', signed('msg_two'));

    expect(first.status).toBe(202);
    expect(retry).toMatchObject({ status: 200, body: { call_id: first.body.call_id } });
    expect(other.status).toBe(202);
    expect(other.body.call_id).not.toBe(first.body.call_id);
  });

  it('token routes keep query fields and the Idempotency-Key header', async () => {
    const phone = nextPhone();
    const query = `?phone=${encodeURIComponent(phone)}&message=Query%20works.`;
    const headers = { 'idempotency-key': 'form-7' };

    const first = await postHook(runtime.bridgeUrl, `generic${query}`, {}, { headers });
    const other = await postHook(
      runtime.bridgeUrl,
      `generic${query}`,
      {},
      {
        headers: { 'idempotency-key': 'form-8' },
      },
    );

    expect(first.status).toBe(202);
    expect(other.status).toBe(202);
    expect(other.body.call_id).not.toBe(first.body.call_id);
  });
});
