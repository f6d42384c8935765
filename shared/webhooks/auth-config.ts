import * as z from 'zod';

export const SecretName = z
  .string()
  .regex(/^[A-Za-z0-9/_+=.@-]{1,256}$/, 'a secret name (letters, digits and /_+=.@-)');

const HeaderName = z.string().regex(/^[A-Za-z0-9-]+$/, 'an HTTP header name');
const Tolerance = z.number().int().min(1).max(86_400).default(300);

const TokenAuth = z.strictObject({
  type: z.literal('token'),
  secret: SecretName.describe('Secret whose value is the shared token.'),
  header: HeaderName.default('X-Callhook-Token'),
  query: z.string().min(1).default('token'),
});

const signedBy = <T extends string>(type: T, description: string) =>
  z.strictObject({
    type: z.literal(type),
    secret: SecretName.describe(description),
  });

const StripeAuth = z.strictObject({
  type: z.literal('stripe'),
  secret: SecretName.describe("Secret holding the endpoint's signing secret (whsec_…)."),
  tolerance_seconds: Tolerance.describe('How old a signed timestamp may be.'),
});

const HmacAuth = z
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

/** How a route knows who sent a webhook. */
export const SenderAuth = z.discriminatedUnion('type', [
  TokenAuth.describe(
    'A shared token in a header or the query string, for senders that cannot sign.',
  ),
  z.strictObject({ type: z.literal('none') }).describe('No check at all: anyone can call.'),
  signedBy('shopify', "Secret holding the app's client secret (X-Shopify-Hmac-Sha256)."),
  signedBy('woocommerce', "Secret holding the webhook's secret (X-WC-Webhook-Signature)."),
  signedBy('typeform', "Secret holding the webhook's secret (Typeform-Signature)."),
  signedBy('standard-webhooks', 'Secret holding the signing secret, "whsec_" and base64.'),
  StripeAuth,
  HmacAuth,
]);
export type SenderAuth = z.infer<typeof SenderAuth>;
export type SenderAuthOf<T extends SenderAuth['type']> = Extract<SenderAuth, { type: T }>;

/**
 * Whether the route's sender signs its requests. On such a route only the signed bytes decide
 * the payload, the call and its id; a shared token proves only who sent the request.
 */
export const signsRequests = (auth: SenderAuth): boolean =>
  auth.type !== 'token' && auth.type !== 'none';
