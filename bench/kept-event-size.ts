import { keptEventKey, storedEventOf } from '../shared/adapters/dynamodb/dynamodb-kept-events.ts';
import { parseConfig } from '../shared/config/load.ts';
import { keptEventOf } from '../shared/ingest/keep-payload.ts';
import { readPathsOf } from '../shared/ingest/read-paths.ts';
import { PRESET_NAMES, PRESETS } from '../shared/senders/registry.ts';

export interface KeptEventSize {
  /** The body as received, the payload as kept (JSON), the item as stored, each in bytes. */
  sample: string;
  received: number;
  kept: number;
  stored: number;
  truncated: boolean;
  write_units: number;
}

/** A call id's length: `c_` and 32 hex digits. */
const CALL_ID = `c_${'0'.repeat(32)}`;

/**
 * An item's size as DynamoDB bills it: each attribute's name and value (a string or binary's
 * bytes, a number's digits over two, plus one); a write unit per KB, rounded up.
 */
const itemBytes = (blob: number): number =>
  'call_id'.length +
  Buffer.byteLength(keptEventKey(CALL_ID)) +
  'expires_at'.length +
  Math.ceil(String(Math.floor(Date.now() / 1000)).length / 2) +
  1 +
  'event'.length +
  blob;

/** The customer's address, which the order gives for billing and for shipping alike. */
const ADDRESS = {
  first_name: 'Anna',
  last_name: 'Petrova',
  address1: 'ul. Tverskaya, 7',
  city: 'Moscow',
  zip: '125009',
  country_code: 'RU',
  phone: '+79261234567',
};

/** One of a shop's orders in Shopify's documented shape, grown to `items` line items. */
const largeOrder = (items: number) => ({
  id: 5_208_123_456_789,
  admin_graphql_api_id: 'gid://shopify/Order/5208123456789',
  name: '#1042',
  email: 'anna.petrova@example.com',
  created_at: '2026-12-01T10:00:00+03:00',
  currency: 'RUB',
  financial_status: 'paid',
  total_price: '12500.00',
  note: 'Позвоните, пожалуйста, перед доставкой',
  customer: { id: 7001, first_name: 'Anna', last_name: 'Petrova', phone: '+79261234567' },
  billing_address: ADDRESS,
  shipping_address: ADDRESS,
  line_items: Array.from({ length: items }, (_, i) => ({
    id: 1_000_000 + i,
    title: `Green tea, sort ${i}`,
    sku: `TEA-${100 + i}`,
    quantity: 1 + (i % 3),
    price: '1250.00',
    vendor: 'Tea House',
    requires_shipping: true,
    taxable: true,
  })),
});

/**
 * What keeping an event costs in storage, for the samples every preset's `npm run send` posts
 * and for an order of 40 line items (about 7 KB, as a shop's order webhook can be): the body's
 * size, the payload as kept (masked, at most 4 KiB of JSON), the item as stored (compressed) and
 * the write units its put is billed.
 */
export const measureKeptEventSize = async (): Promise<KeptEventSize[]> => {
  const now = new Date('2026-12-01T10:00:00Z');
  const config = parseConfig(
    {
      accounts: {
        demo: {
          provider: 'simulator',
          secret: 'demo/callapi',
          virtual_phone_number: '74993720692',
        },
      },
      routes: Object.fromEntries(
        PRESET_NAMES.filter((name) => PRESETS[name].cancelling !== true).map((name) => [
          name,
          {
            account: 'demo',
            preset: name,
            ...(name === 'callback-form'
              ? {
                  auth: {
                    type: 'browser',
                    origins: ['https://shop.example'],
                    secret: 'shop/captcha',
                    captcha: { provider: 'turnstile', site_key: 'site-key' },
                  },
                }
              : { auth: name === 'generic' ? { type: 'none' } : { secret: 's' } }),
            ...((name === 'tilda-form' || name === 'callback-form') && {
              call: { params: { operator: '74951234567' } },
            }),
          },
        ]),
      ),
    },
    'kept event bench',
  );
  const sizes: KeptEventSize[] = [];
  const measure = async (sample: string, route: string, fields: Record<string, unknown>) => {
    const routeConfig = config.routes[route];
    const account = config.accounts.demo;
    if (routeConfig === undefined || account === undefined) throw new Error(`no route ${route}`);
    const received = Buffer.byteLength(JSON.stringify(fields));
    const kept = keptEventOf({
      payload: fields,
      read: readPathsOf(routeConfig, account),
      contact: '79261234567',
      receivedBytes: received,
      browserForm: routeConfig.auth.type === 'browser',
    });
    const blob = storedEventOf(kept).length;
    sizes.push({
      sample,
      received,
      kept: Buffer.byteLength(JSON.stringify(kept.payload)),
      stored: itemBytes(blob),
      truncated: kept.truncated,
      write_units: Math.ceil(itemBytes(blob) / 1024),
    });
  };
  for (const name of Object.keys(config.routes)) {
    const preset = PRESETS[name as keyof typeof PRESETS];
    const { fields } = preset.sample({ phone: '+79261234567', now, language: 'ru' });
    await measure(name, name, fields as Record<string, unknown>);
  }
  await measure('a Shopify order of 40 line items', 'shopify-orders-create', largeOrder(40));
  return sizes;
};
