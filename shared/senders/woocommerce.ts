import * as z from 'zod';
import { SecretName } from '../config/secret-name.ts';
import type { RawRequest } from '../http/raw-request.ts';
import { NOTHING_MORE, senderScheme } from './sender-scheme.ts';
import { hmac, requireHeader, requireMatch } from './signature.ts';

/**
 * WooCommerce: `X-WC-Webhook-Signature`, base64 HMAC-SHA256 of the raw body. Like Shopify it
 * retries with the original signature, so there is no timestamp to check.
 */
export const verifyWooCommerce = (request: RawRequest, secret: string): void =>
  requireMatch(
    [requireHeader(request, 'X-WC-Webhook-Signature')],
    hmac('sha256', secret, request.body).toString('base64'),
  );

/**
 * WooCommerce announces a new webhook with an unsigned form post, `webhook_id=<n>`. It must be
 * answered 2xx or WooCommerce disables the webhook; it carries no order, so it places no call.
 */
export const isWooCommercePing = (request: RawRequest): boolean =>
  request.headers['x-wc-webhook-signature'] === undefined &&
  /^webhook_id=\d{1,20}$/.test(request.body.toString('utf8').trim());

const phone = 'billing.phone ? billing.phone : shipping.phone';

export const woocommerce = senderScheme({
  auth: z.strictObject({
    type: z.literal('woocommerce'),
    secret: SecretName.describe("Secret holding the webhook's secret (X-WC-Webhook-Signature)."),
  }),
  secret: 'signing-key',
  signs: true,
  verify: (request, _auth, secret) => {
    verifyWooCommerce(request, secret);
    return NOTHING_MORE;
  },
  handshake: { reason: 'woocommerce_ping', recognises: isWooCommercePing },
  presets: {
    'woocommerce-order-created': {
      auth: { type: 'woocommerce' },
      call: {
        method: 'start.informer_call',
        contact: phone,
        contact_message: {
          type: 'tts',
          value:
            "'Hello ' & billing.first_name & '! Your order number ' & number & ' for ' & total & ' ' & currency & ' is confirmed. Thank you!'",
        },
      },
      event_time: 'date_created_gmt',
      idempotency_key: '$string(id)',
      condition: `$boolean(${phone})`,
    },
  },
});
