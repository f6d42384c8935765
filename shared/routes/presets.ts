/**
 * Ready route templates, written as a route in the config file would be. A route that names a
 * preset gets its fields, and overrides any of them with its own (objects merge, the rest is
 * replaced). What a preset cannot know, the route must still give: the account, the sender's
 * secret, and for operator calls the operator's number.
 */
type RawRoute = Record<string, unknown>;

const shopifyPhone =
  'shipping_address.phone ? shipping_address.phone : billing_address.phone ? billing_address.phone : customer.phone ? customer.phone : phone';
const wooPhone = 'billing.phone ? billing.phone : shipping.phone';
const typeformPhone = "form_response.answers[type = 'phone_number'][0].phone_number";
const stripePhone = 'data.object.customer_details.phone';

export const PRESETS = {
  'shopify-orders-create': {
    auth: { type: 'shopify' },
    call: {
      method: 'start.informer_call',
      contact: shopifyPhone,
      contact_message: {
        type: 'tts',
        value:
          "'Hello' & (customer.first_name ? ' ' & customer.first_name : '') & '! Your order ' & name & ' for ' & total_price & ' ' & currency & ' is confirmed. Thank you!'",
      },
    },
    idempotency_key: '$string(id)',
    condition: `$boolean(${shopifyPhone})`,
  },
  'woocommerce-order-created': {
    auth: { type: 'woocommerce' },
    call: {
      method: 'start.informer_call',
      contact: wooPhone,
      contact_message: {
        type: 'tts',
        value:
          "'Hello ' & billing.first_name & '! Your order number ' & number & ' for ' & total & ' ' & currency & ' is confirmed. Thank you!'",
      },
    },
    idempotency_key: '$string(id)',
    condition: `$boolean(${wooPhone})`,
  },
  'tilda-form': {
    auth: { type: 'token' },
    call: {
      method: 'start.simple_call',
      contact: 'Phone',
      params: { first_call: 'operator' },
    },
    idempotency_key: 'tranid',
    // Tilda checks a new webhook with a form post `test=test`.
    condition: "$not(test = 'test') and $boolean(Phone)",
  },
  'typeform-form-response': {
    auth: { type: 'typeform' },
    call: {
      method: 'start.informer_call',
      contact: typeformPhone,
      contact_message: {
        type: 'tts',
        value: "'Thank you for your answers. We will be in touch soon.'",
      },
    },
    idempotency_key: 'event_id',
    condition: `event_type = 'form_response' and $boolean(${typeformPhone})`,
  },
  'stripe-checkout-completed': {
    auth: { type: 'stripe' },
    call: {
      method: 'start.informer_call',
      contact: stripePhone,
      contact_message: {
        type: 'tts',
        value:
          "'Thank you! Your payment of ' & $formatNumber(data.object.amount_total / 100, '0.00') & ' ' & $uppercase(data.object.currency) & ' is confirmed.'",
      },
    },
    idempotency_key: 'id',
    condition: `type = 'checkout.session.completed' and $boolean(${stripePhone})`,
  },
  generic: {
    auth: { type: 'token' },
    call: {
      method: 'start.informer_call',
      contact: 'phone',
      contact_message: { type: 'tts', value: 'message' },
    },
  },
} as const satisfies Record<string, RawRoute>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const mergeInto = (base: unknown, override: unknown): unknown => {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = mergeInto(base[key], value);
  return merged;
};

/**
 * A route with its preset's fields filled in. An unknown preset name is left for the schema to
 * refuse, with its path.
 */
export const expandPreset = (route: unknown): unknown => {
  if (!isPlainObject(route) || typeof route.preset !== 'string') return route;
  if (!Object.hasOwn(PRESETS, route.preset)) return route;
  return mergeInto(PRESETS[route.preset as PresetName], route);
};
