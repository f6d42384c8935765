import * as z from 'zod';
import { SecretName } from '../secrets/secret-name.ts';
import { HeaderName, Tolerance } from './auth-fields.ts';
import { CAPTCHA_PROVIDER_NAMES } from './captcha/provider-names.ts';

/*
 * Each sender scheme's `auth` settings as the config file spells them: part of the config schema
 * (classic zod), which only the CLI and the CDK app run. Apart from the schemes (`registry.ts`),
 * whose verifiers the ingest function bundles: it reads the config already parsed, so it carries
 * none of these schemas and no classic zod.
 */

export const ShopifyAuth = z.strictObject({
  type: z.literal('shopify'),
  secret: SecretName.describe("Secret holding the app's client secret (X-Shopify-Hmac-Sha256)."),
});

export const WooCommerceAuth = z.strictObject({
  type: z.literal('woocommerce'),
  secret: SecretName.describe("Secret holding the webhook's secret (X-WC-Webhook-Signature)."),
});

export const TypeformAuth = z.strictObject({
  type: z.literal('typeform'),
  secret: SecretName.describe("Secret holding the webhook's secret (Typeform-Signature)."),
});

export const StandardWebhooksAuth = z.strictObject({
  type: z.literal('standard-webhooks'),
  secret: SecretName.describe('Secret holding the signing secret, "whsec_" and base64.'),
});

export const StripeAuth = z.strictObject({
  type: z.literal('stripe'),
  secret: SecretName.describe("Secret holding the endpoint's signing secret (whsec_…)."),
  tolerance_seconds: Tolerance.describe('How old a signed timestamp may be.'),
});

export const HmacAuth = z
  .strictObject({
    type: z.literal('hmac'),
    secret: SecretName.describe('Secret holding the HMAC key (used as UTF-8 text).'),
    header: HeaderName.describe('The header carrying the signature.'),
    algorithm: z.enum(['sha256', 'sha512']).default('sha256'),
    encoding: z.enum(['hex', 'base64']).default('hex'),
    prefix: z.string().max(32).optional().describe('Text before the signature, e.g. "sha256=".'),
    timestamp_header: HeaderName.optional().describe(
      'A header with the signing time (Unix seconds); when set the signed text is "<timestamp>.<body>".',
    ),
    tolerance_seconds: Tolerance,
  })
  .describe('A generic HMAC of the raw body, for senders with their own scheme.');

export const TokenAuth = z
  .strictObject({
    type: z.literal('token'),
    secret: SecretName.describe('Secret whose value is the shared token.'),
    header: HeaderName.default('X-Callhook-Token'),
    query: z.string().min(1).default('token'),
  })
  .describe('A shared token in a header or the query string, for senders that cannot sign.');

/** `https://shop.example` or `http://127.0.0.1:8080`: a scheme, a host, a port, nothing more. */
const Origin = z.string().refine((text) => {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === text;
  } catch {
    return false;
  }
}, 'an origin such as "https://shop.example": scheme and host (and port), no path or trailing slash');

const Window = (max: number, minutes: number) =>
  z
    .strictObject({
      max: z.number().int().min(1).max(1000),
      minutes: z.number().int().min(1).max(1440),
    })
    .default({ max, minutes });

export const BrowserAuth = z
  .strictObject({
    type: z.literal('browser'),
    origins: z
      .array(Origin)
      .min(1)
      .max(20)
      .describe('The sites whose pages may post the form; every other origin is refused.'),
    secret: SecretName.describe(
      "Secret holding the CAPTCHA provider's secret (server) key; the site key is public.",
    ),
    captcha: z
      .strictObject({
        provider: z.enum(CAPTCHA_PROVIDER_NAMES),
        site_key: z
          .string()
          .regex(/^[\x21-\x7e]{1,200}$/, 'the site key the provider gave, printable ASCII'),
        verify_url: z
          .url({ protocol: /^https?$/ })
          .optional()
          .describe("The provider's verify endpoint; default the documented one."),
        script_url: z
          .url({ protocol: /^https?$/ })
          .optional()
          .describe("The provider's script the widget loads; default the documented one."),
      })
      .describe('The CAPTCHA the form shows, checked server-side before anything else.'),
    consent: z
      .strictObject({
        required: z.boolean().default(true),
        text_version: z
          .string()
          .regex(/^[\x20-\x7e]{1,64}$/)
          .describe('Which consent text the page shows; kept on each call.'),
      })
      .optional()
      .describe('Consent to the processing of personal data, kept on the call when given.'),
    limits: z
      .strictObject({
        per_ip: Window(5, 60).describe('Forms from one client address in a sliding window.'),
        per_number: Window(2, 60).describe('Forms for one phone number in a sliding window.'),
      })
      .default({ per_ip: { max: 5, minutes: 60 }, per_number: { max: 2, minutes: 60 } }),
  })
  .describe(
    'A form on your own site: allowed origins, a CAPTCHA, limits per client and per number.',
  );

export const NoneAuth = z
  .strictObject({ type: z.literal('none') })
  .describe('No check at all: anyone can call.');

/**
 * How a route knows who sent a webhook: one of the schemes' `auth` settings. Its order is the
 * order in which the config schema and its messages list the `auth` types: the senders that sign
 * first, then the shared token, a browser form, and no check at all last.
 */
export const SenderAuth = z.discriminatedUnion('type', [
  ShopifyAuth,
  WooCommerceAuth,
  TypeformAuth,
  StandardWebhooksAuth,
  StripeAuth,
  HmacAuth,
  TokenAuth,
  BrowserAuth,
  NoneAuth,
]);
export type SenderAuth = z.infer<typeof SenderAuth>;
export type SenderAuthOf<T extends SenderAuth['type']> = Extract<SenderAuth, { type: T }>;
