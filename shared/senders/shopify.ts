import type { RawRequest } from '../http/raw-request.ts';
import type { ShopifyAuth } from './auth-schemas.ts';
import { SAMPLE_CUSTOMER, sampleId } from './samples.ts';
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

const firstName = "(customer.first_name ? ', ' & customer.first_name : '')";

export const shopify = senderScheme<typeof ShopifyAuth>()({
  type: 'shopify',
  secret: 'signing-key',
  signs: true,
  verify: (request, _auth, secret) => {
    verifyShopify(request, secret);
    return NOTHING_MORE;
  },
  sign: (body, _auth, secret) => ({
    headers: {
      'X-Shopify-Topic': 'orders/create',
      'X-Shopify-Hmac-Sha256': hmac('sha256', secret, body).toString('base64'),
    },
    body,
  }),
  presets: {
    'shopify-orders-create': {
      route: {
        auth: { type: 'shopify' },
        call: { method: 'start.informer_call', contact: phone },
        event_time: 'created_at',
        // Shopify's Send test notification and test orders.
        test_event: 'test = true',
        on_refusal: 'accept',
        idempotency_key: '$string(id)',
        condition: `$boolean(${phone})`,
      },
      // The order's `name` is "#1042": said "№1042" and "number 1042".
      messages: {
        ru: `'Здравствуйте' & ${firstName} & '! Ваш заказ ' & $replace(name, '#', '№') & ' на сумму ' & $money(total_price, currency, 'ru') & ' подтверждён. Спасибо!'`,
        en: `'Hello' & ${firstName} & '! Your order ' & $replace(name, '#', 'number ') & ' for ' & $money(total_price, currency, 'en') & ' is confirmed. Thank you!'`,
      },
      sample: ({ phone: to, now, language }) => {
        const customer = SAMPLE_CUSTOMER[language];
        const id = sampleId(now);
        const address = {
          first_name: customer.first_name,
          last_name: customer.last_name,
          city: customer.city,
          country_code: customer.country,
        };
        return {
          format: 'json',
          fields: {
            id,
            admin_graphql_api_id: `gid://shopify/Order/${id}`,
            name: `#${1000 + (id % 9000)}`,
            order_number: 1000 + (id % 9000),
            created_at: now.toISOString(),
            email: customer.email,
            phone: null,
            financial_status: 'paid',
            total_price: '2500.00',
            currency: customer.currency,
            test: false,
            customer: {
              id: 7_001,
              first_name: customer.first_name,
              last_name: customer.last_name,
              phone: null,
            },
            billing_address: { ...address, phone: null },
            shipping_address: { ...address, phone: to },
            line_items: [{ id: 1, title: 'Tea', quantity: 2, price: '1250.00' }],
          },
        };
      },
    },
    /**
     * `orders/cancelled`: the order itself, with `cancelled_at` and `cancel_reason`; its `id` is
     * the `orders/create` event's key, so it names that order's call.
     */
    'shopify-orders-cancelled': {
      route: {
        auth: { type: 'shopify' },
        event_time: 'cancelled_at',
        test_event: 'test = true',
        on_refusal: 'accept',
        idempotency_key: '$string(id)',
      },
      cancelling: true,
      sample: ({ now }) => {
        const id = sampleId(now);
        return {
          format: 'json',
          fields: {
            id,
            admin_graphql_api_id: `gid://shopify/Order/${id}`,
            name: `#${1000 + (id % 9000)}`,
            created_at: new Date(now.getTime() - 600_000).toISOString(),
            cancelled_at: now.toISOString(),
            cancel_reason: 'customer',
            financial_status: 'voided',
            test: false,
          },
        };
      },
    },
  },
});
