import type { SecretStore } from '../config/secrets.ts';
import type { RawRequest } from '../http/raw-request.ts';
import type { SenderAuth } from './auth-config.ts';
import { verifyShopify, verifyTypeform, verifyWooCommerce } from './body-hmac-verifiers.ts';
import { verifyGenericHmac } from './generic-hmac-verifier.ts';
import { verifyStandardWebhook } from './standard-webhooks-verifier.ts';
import { verifyStripe } from './stripe-verifier.ts';
import { verifyToken } from './token-verifier.ts';

/**
 * Checks that the webhook comes from the route's sender, on the raw body, before anything parses
 * it. Fails with `401 unauthorized` for a missing credential and `401 invalid_signature` for a
 * wrong one.
 */
export const verifySender = async (
  request: RawRequest,
  auth: SenderAuth,
  secrets: SecretStore,
  now: Date,
): Promise<void> => {
  if (auth.type === 'none') return;
  const secret = await secrets.get(auth.secret);
  switch (auth.type) {
    case 'token':
      return verifyToken(request, auth, secret);
    case 'shopify':
      return verifyShopify(request, secret);
    case 'woocommerce':
      return verifyWooCommerce(request, secret);
    case 'typeform':
      return verifyTypeform(request, secret);
    case 'stripe':
      return verifyStripe(request, secret, auth.tolerance_seconds, now);
    case 'standard-webhooks':
      return verifyStandardWebhook(request, secret);
    case 'hmac':
      return verifyGenericHmac(request, secret, auth, now);
  }
};
