import { readSecret, type SecretShape } from '../config/secret-shapes.ts';
import type { SecretStore } from '../config/secrets.ts';
import type { RawRequest } from '../http/raw-request.ts';
import type { SenderAuth, SenderAuthOf } from './auth-config.ts';
import { verifyShopify, verifyTypeform, verifyWooCommerce } from './body-hmac-verifiers.ts';
import { verifyGenericHmac } from './generic-hmac-verifier.ts';
import { verifyStandardWebhook } from './standard-webhooks-verifier.ts';
import { verifyStripe } from './stripe-verifier.ts';
import { verifyToken } from './token-verifier.ts';
import type { VerifiedSender } from './verified-sender.ts';

type SecretScheme = Exclude<SenderAuth['type'], 'none'>;

type Verifier<T extends SecretScheme> = (
  request: RawRequest,
  auth: SenderAuthOf<T>,
  secret: string,
  now: Date,
) => VerifiedSender;

/** What each scheme's secret must hold. */
export const SENDER_SECRET_SHAPES: { [T in SecretScheme]: SecretShape } = {
  token: 'token',
  shopify: 'signing-key',
  woocommerce: 'signing-key',
  typeform: 'signing-key',
  stripe: 'signing-key',
  'standard-webhooks': 'standard-webhooks-key',
  hmac: 'signing-key',
};

/** Nothing beyond the body is signed. */
const NOTHING_MORE: VerifiedSender = {};

/** One verifier per scheme that holds a secret: a scheme without one does not compile. */
const VERIFIERS: { [T in SecretScheme]: Verifier<T> } = {
  token: (request, auth, secret) => {
    verifyToken(request, auth, secret);
    return NOTHING_MORE;
  },
  shopify: (request, _auth, secret) => {
    verifyShopify(request, secret);
    return NOTHING_MORE;
  },
  woocommerce: (request, _auth, secret) => {
    verifyWooCommerce(request, secret);
    return NOTHING_MORE;
  },
  typeform: (request, _auth, secret) => {
    verifyTypeform(request, secret);
    return NOTHING_MORE;
  },
  stripe: (request, auth, secret, now) => {
    verifyStripe(request, secret, auth.tolerance_seconds, now);
    return NOTHING_MORE;
  },
  'standard-webhooks': (request, _auth, secret) => verifyStandardWebhook(request, secret),
  hmac: (request, auth, secret, now) => {
    verifyGenericHmac(request, secret, auth, now);
    return NOTHING_MORE;
  },
};

/**
 * Checks that the webhook comes from the route's sender, on the raw body, before anything parses
 * it. Fails with `401 unauthorized` for a missing credential and `401 invalid_signature` for a
 * wrong one. Returns what the signature vouches for beyond the body.
 */
export const verifySender = async (
  request: RawRequest,
  auth: SenderAuth,
  secrets: SecretStore,
  now: Date,
): Promise<VerifiedSender> => {
  if (auth.type === 'none') return NOTHING_MORE;
  const secret = await readSecret(secrets, auth.secret, SENDER_SECRET_SHAPES[auth.type]);
  const verify = VERIFIERS[auth.type] as Verifier<typeof auth.type>;
  return verify(request, auth, secret, now);
};
