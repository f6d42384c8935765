/** Payloads in each sender's documented shape, trimmed to what a route reads and a little more. */

/** `n` varies the event's own id, for tests that need two different events. */
export const shopifyOrder = (phone: string, n = 0) => ({
  id: 5_208_123_456_789 + n,
  admin_graphql_api_id: 'gid://shopify/Order/5208123456789',
  name: '#1042',
  email: 'anna@example.com',
  phone: null,
  financial_status: 'paid',
  total_price: '2500.00',
  currency: 'RUB',
  customer: { id: 7_001, first_name: 'Anna', last_name: 'Petrova', phone: null },
  billing_address: { first_name: 'Anna', city: 'Moscow', country_code: 'RU', phone: null },
  shipping_address: { first_name: 'Anna', city: 'Moscow', country_code: 'RU', phone },
  line_items: [{ id: 1, title: 'Tea', quantity: 2, price: '1250.00' }],
});

export const wooOrder = (phone: string, n = 0) => ({
  id: 727 + n,
  parent_id: 0,
  number: '727',
  status: 'processing',
  currency: 'RUB',
  total: '1990.00',
  billing: {
    first_name: 'Boris',
    last_name: 'Ivanov',
    city: 'Kazan',
    country: 'RU',
    email: 'boris@example.com',
    phone,
  },
  shipping: { first_name: 'Boris', city: 'Kazan', country: 'RU', phone: '' },
  line_items: [{ id: 315, name: 'Coffee', quantity: 1, total: '1990.00' }],
});

export const typeformResponse = (phone: string, n = 0) => ({
  event_id: `01HQ3ZC4T8N8XKJ5QG6W5F8R${n}A`,
  event_type: 'form_response',
  form_response: {
    form_id: 'lT4Z3j',
    token: 'a3a12ec67a1365927098a606107fac15',
    // Deliveries are fresh: an event older than the records are kept is ignored as stale.
    submitted_at: new Date(Date.now() - 60_000).toISOString(),
    definition: { id: 'lT4Z3j', title: 'Call me back' },
    answers: [
      { type: 'text', text: 'Vera', field: { id: 'f1', type: 'short_text', ref: 'name' } },
      {
        type: 'phone_number',
        phone_number: phone,
        field: { id: 'f2', type: 'phone_number', ref: 'phone' },
      },
    ],
  },
});

export const stripeCheckoutCompleted = (
  phone: string,
  n = 0,
  type = 'checkout.session.completed',
) => ({
  id: `evt_1QxYZ2LkdIwHu7ix0a1b2c${n}d`,
  object: 'event',
  api_version: '2024-06-20',
  created: Math.floor(Date.now() / 1000) - 60,
  type,
  livemode: true,
  data: {
    object: {
      id: 'cs_test_a1b2c3',
      object: 'checkout.session',
      amount_total: 199_000,
      currency: 'rub',
      customer_details: { email: 'gleb@example.com', name: 'Gleb', phone },
      payment_intent: `pi_3QxYZ2LkdIwHu7ix0a1b2c${n}`,
      payment_status: 'paid',
      status: 'complete',
    },
  },
});

/**
 * Stripe's `charge.refunded`: the charge (its documented fields that matter here), refunded in
 * full, naming the payment intent the Checkout Session above paid with.
 */
export const stripeChargeRefunded = (n = 0) => ({
  id: `evt_3QxYZ2LkdIwHu7ix1r2f3d${n}`,
  object: 'event',
  api_version: '2024-06-20',
  created: Math.floor(Date.now() / 1000),
  type: 'charge.refunded',
  livemode: true,
  data: {
    object: {
      id: `ch_3QxYZ2LkdIwHu7ix0a1b2c${n}`,
      object: 'charge',
      amount: 199_000,
      amount_captured: 199_000,
      amount_refunded: 199_000,
      currency: 'rub',
      paid: true,
      payment_intent: `pi_3QxYZ2LkdIwHu7ix0a1b2c${n}`,
      refunded: true,
      status: 'succeeded',
    },
  },
});

/** Stripe's `checkout.session.expired`: a session never paid, past its `expires_at`. */
export const stripeCheckoutExpired = (sessionId: string, n = 0) => ({
  id: `evt_1QxYZ2LkdIwHu7ix9e8x7p${n}`,
  object: 'event',
  api_version: '2024-06-20',
  created: Math.floor(Date.now() / 1000),
  type: 'checkout.session.expired',
  livemode: true,
  data: {
    object: {
      id: sessionId,
      object: 'checkout.session',
      expires_at: Math.floor(Date.now() / 1000) - 1,
      payment_intent: null,
      payment_status: 'unpaid',
      status: 'expired',
    },
  },
});
