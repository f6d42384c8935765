import * as z from 'zod';
import { SecretName } from '../config/secret-name.ts';
import type { RawRequest } from '../http/raw-request.ts';
import { NOTHING_MORE, senderScheme } from './sender-scheme.ts';
import { hmac, requireHeader, requireMatch } from './signature.ts';

/**
 * Shopify signs the raw body: `X-Shopify-Hmac-Sha256` is its base64 HMAC-SHA256 under the app's
 * secret. Shopify retries a failed delivery for hours with the original body and signature, so
 * there is no timestamp to check: duplicates are caught by the order id instead.
 */
export const verifyShopify = (request: RawRequest, secret: string): void =>
  requireMatch(
    [requireHeader(request, 'X-Shopify-Hmac-Sha256')],
    hmac('sha256', secret, request.body).toString('base64'),
  );

const phone =
  'shipping_address.phone ? shipping_address.phone : billing_address.phone ? billing_address.phone : customer.phone ? customer.phone : phone';

export const shopify = senderScheme({
  auth: z.strictObject({
    type: z.literal('shopify'),
    secret: SecretName.describe("Secret holding the app's client secret (X-Shopify-Hmac-Sha256)."),
  }),
  secret: 'signing-key',
  signs: true,
  verify: (request, _auth, secret) => {
    verifyShopify(request, secret);
    return NOTHING_MORE;
  },
  presets: {
    'shopify-orders-create': {
      auth: { type: 'shopify' },
      call: {
        method: 'start.informer_call',
        contact: phone,
        contact_message: {
          type: 'tts',
          value:
            "'Hello' & (customer.first_name ? ' ' & customer.first_name : '') & '! Your order ' & name & ' for ' & total_price & ' ' & currency & ' is confirmed. Thank you!'",
        },
      },
      event_time: 'created_at',
      idempotency_key: '$string(id)',
      condition: `$boolean(${phone})`,
    },
  },
});
