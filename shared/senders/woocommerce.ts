import type { RawRequest } from '../http/raw-request.ts';
import type { WooCommerceAuth } from './auth-schemas.ts';
import { SAMPLE_CUSTOMER, sampleId } from './samples.ts';
import { NOTHING_MORE, senderScheme } from './sender-scheme.ts';
import { hmac, requireHeader, requireMatch } from './signature.ts';

/**
 * WooCommerce: `X-WC-Webhook-Signature`, base64 HMAC-SHA256 of the raw body. It signs no time
 * (and never retries a failed delivery), so there is no timestamp to check.
 */
export const verifyWooCommerce = (request: RawRequest, secret: string): void =>
  requireMatch(
    [requireHeader(request, 'X-WC-Webhook-Signature')],
    hmac('sha256', secret, request.body).toString('base64'),
  );

/**
 * WooCommerce announces a new webhook with an unsigned form post, `webhook_id=<n>`. It must be
 * answered exactly 200 or WooCommerce counts a failed delivery (about 5 in a row disable the
 * webhook); it carries no order, so it places no call.
 */
export const isWooCommercePing = (request: RawRequest): boolean =>
  request.headers['x-wc-webhook-signature'] === undefined &&
  /^webhook_id=\d{1,20}$/.test(request.body.toString('utf8').trim());

const phone = 'billing.phone ? billing.phone : shipping.phone';

const firstName = "(billing.first_name ? ', ' & billing.first_name : '')";

export const woocommerce = senderScheme<typeof WooCommerceAuth>()({
  type: 'woocommerce',
  secret: 'signing-key',
  signs: true,
  verify: (request, _auth, secret) => {
    verifyWooCommerce(request, secret);
    return NOTHING_MORE;
  },
  sign: (body, _auth, secret) => ({
    headers: {
      'X-WC-Webhook-Topic': 'order.created',
      'X-WC-Webhook-Signature': hmac('sha256', secret, body).toString('base64'),
    },
    body,
  }),
  handshake: { reason: 'woocommerce_ping', recognises: isWooCommercePing },
  presets: {
    'woocommerce-order-created': {
      route: {
        auth: { type: 'woocommerce' },
        call: { method: 'start.informer_call', contact: phone },
        event_time: 'date_created_gmt',
        on_refusal: 'accept',
        idempotency_key: '$string(id)',
        condition: `$boolean(${phone})`,
      },
      messages: {
        ru: `'Здравствуйте' & ${firstName} & '! Ваш заказ №' & number & ' на сумму ' & $money(total, currency, 'ru') & ' подтверждён. Спасибо!'`,
        en: `'Hello' & ${firstName} & '! Your order number ' & number & ' for ' & $money(total, currency, 'en') & ' is confirmed. Thank you!'`,
      },
      sample: ({ phone: to, now, language }) => {
        const customer = SAMPLE_CUSTOMER[language];
        const id = sampleId(now) % 1_000_000_000;
        return {
          format: 'json',
          fields: {
            id,
            parent_id: 0,
            number: String(id),
            status: 'processing',
            currency: customer.currency,
            total: '1990.00',
            // WooCommerce's own format: UTC, without a zone.
            date_created_gmt: now.toISOString().slice(0, 19),
            billing: {
              first_name: customer.first_name,
              last_name: customer.last_name,
              city: customer.city,
              country: customer.country,
              email: customer.email,
              phone: to,
            },
            shipping: {
              first_name: customer.first_name,
              city: customer.city,
              country: customer.country,
              phone: '',
            },
            line_items: [{ id: 315, name: 'Coffee', quantity: 1, total: '1990.00' }],
          },
        };
      },
    },
    /**
     * `order.updated` to cancelled, refunded or failed, and `order.deleted` (whose body is only
     * `{"id": …}`): both name the order, whose `id` is the `order.created` event's key.
     */
    'woocommerce-order-cancelled': {
      route: {
        auth: { type: 'woocommerce' },
        event_time: 'date_modified_gmt',
        on_refusal: 'accept',
        idempotency_key: '$string(id)',
        condition: "$not($exists(status)) or status in ['cancelled', 'refunded', 'failed']",
      },
      cancelling: true,
      sample: ({ now }) => {
        const id = sampleId(now) % 1_000_000_000;
        return {
          format: 'json',
          fields: {
            id,
            parent_id: 0,
            number: String(id),
            status: 'cancelled',
            // WooCommerce's own format: UTC, without a zone.
            date_modified_gmt: now.toISOString().slice(0, 19),
          },
        };
      },
    },
  },
});
