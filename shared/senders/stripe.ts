import { ProblemError } from '../http/problem-error.ts';
import type { RawRequest } from '../http/raw-request.ts';
import type { StripeAuth } from './auth-schemas.ts';
import { SAMPLE_CUSTOMER, sampleId } from './samples.ts';
import { NOTHING_MORE, senderScheme } from './sender-scheme.ts';
import { hmac, requireFresh, requireHeader, requireMatch } from './signature.ts';

/**
 * Stripe: `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]`, each `v1` a hex
 * HMAC-SHA256 of `<t>.<raw body>` under the endpoint secret (several while a secret rolls).
 * A timestamp older than the tolerance is refused, so a captured request cannot be replayed
 * later.
 */
export const verifyStripe = (
  request: RawRequest,
  secret: string,
  toleranceSeconds: number,
  now: Date,
): void => {
  const header = requireHeader(request, 'Stripe-Signature');
  const pairs = header.split(',').map((part) => {
    const at = part.indexOf('=');
    return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
  });
  const timestamp = pairs.find(([key]) => key === 't')?.[1];
  const signatures = pairs.filter(([key]) => key === 'v1').map(([, value]) => value);
  if (timestamp === undefined || signatures.length === 0) {
    throw new ProblemError(
      'invalid_signature',
      'Stripe-Signature has no timestamp or no v1 signature.',
    );
  }
  requireMatch(
    signatures,
    hmac('sha256', secret, Buffer.concat([Buffer.from(`${timestamp}.`), request.body])).toString(
      'hex',
    ),
  );
  requireFresh(timestamp, now, toleranceSeconds);
};

const phone = 'data.object.customer_details.phone';

/** `amount_total` is in the currency's minor unit: cents, kopecks, or yen themselves. */
const amount = (language: 'ru' | 'en') =>
  `$money($fromMinorUnits(data.object.amount_total, data.object.currency), data.object.currency, '${language}')`;

/** A sample in the currency a customer of the language would pay in, in its minor unit. */
const SAMPLE_AMOUNT = { ru: 199_000, en: 4_999 } as const;

export const stripe = senderScheme<typeof StripeAuth>()({
  type: 'stripe',
  secret: 'signing-key',
  signs: true,
  verify: (request, auth, secret, now) => {
    verifyStripe(request, secret, auth.tolerance_seconds, now);
    return NOTHING_MORE;
  },
  sign: (body, _auth, secret, now) => {
    const at = Math.floor(now.getTime() / 1000);
    return {
      headers: {
        'Stripe-Signature': `t=${at},v1=${hmac('sha256', secret, `${at}.${body}`).toString('hex')}`,
      },
      body,
    };
  },
  presets: {
    'stripe-checkout-completed': {
      route: {
        auth: { type: 'stripe' },
        call: { method: 'start.informer_call', contact: phone },
        event_time: 'created',
        // Test mode's events (`stripe trigger`, test cards).
        test_event: 'livemode = false',
        on_refusal: 'accept',
        idempotency_key: 'id',
        condition: `type = 'checkout.session.completed' and $boolean(${phone})`,
      },
      messages: {
        ru: `'Спасибо! Ваш платёж на сумму ' & ${amount('ru')} & ' подтверждён.'`,
        en: `'Thank you! Your payment of ' & ${amount('en')} & ' is confirmed.'`,
      },
      sample: ({ phone: to, now, language }) => {
        const customer = SAMPLE_CUSTOMER[language];
        const id = sampleId(now).toString(36);
        return {
          format: 'json',
          fields: {
            id: `evt_sample${id}`,
            object: 'event',
            api_version: '2024-06-20',
            created: Math.floor(now.getTime() / 1000),
            type: 'checkout.session.completed',
            // A live event, so that it rings: test mode's are the route's test deliveries.
            livemode: true,
            data: {
              object: {
                id: `cs_live_sample${id}`,
                object: 'checkout.session',
                amount_total: SAMPLE_AMOUNT[language],
                currency: customer.currency.toLowerCase(),
                customer_details: {
                  email: customer.email,
                  name: `${customer.first_name} ${customer.last_name}`,
                  phone: to,
                },
                payment_status: 'paid',
                status: 'complete',
              },
            },
          },
        };
      },
    },
    // The cancelling presets name the call by what the refund or the expiry shares with the
    // event that asked for it: its payment intent, or its Checkout Session. The calling route
    // keys on the same (docs/senders.md); a Stripe event id is never shared between two events.
    'stripe-charge-refunded': {
      route: {
        auth: { type: 'stripe' },
        event_time: 'created',
        test_event: 'livemode = false',
        on_refusal: 'accept',
        idempotency_key: 'data.object.payment_intent',
        condition: "type = 'charge.refunded' and $boolean(data.object.payment_intent)",
      },
      cancelling: true,
      sample: ({ now }) => {
        const id = sampleId(now).toString(36);
        return stripeEvent(now, 'charge.refunded', {
          id: `ch_sample${id}`,
          object: 'charge',
          amount: SAMPLE_AMOUNT.ru,
          amount_refunded: SAMPLE_AMOUNT.ru,
          currency: 'rub',
          payment_intent: `pi_sample${id}`,
          refunded: true,
          status: 'succeeded',
        });
      },
    },
    'stripe-checkout-expired': {
      route: {
        auth: { type: 'stripe' },
        event_time: 'created',
        test_event: 'livemode = false',
        on_refusal: 'accept',
        idempotency_key: 'data.object.id',
        condition: "type = 'checkout.session.expired'",
      },
      cancelling: true,
      sample: ({ now }) => {
        const id = sampleId(now).toString(36);
        return stripeEvent(now, 'checkout.session.expired', {
          id: `cs_live_sample${id}`,
          object: 'checkout.session',
          payment_status: 'unpaid',
          status: 'expired',
        });
      },
    },
  },
});

/** A live Stripe event of `type` around `object`, as Stripe's documented events are shaped. */
const stripeEvent = (now: Date, type: string, object: Record<string, unknown>) => ({
  format: 'json' as const,
  fields: {
    id: `evt_sample${sampleId(now).toString(36)}`,
    object: 'event',
    api_version: '2024-06-20',
    created: Math.floor(now.getTime() / 1000),
    type,
    livemode: true,
    data: { object },
  },
});
