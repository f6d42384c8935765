import type { RawRequest } from '../http/raw-request.ts';
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

/** WooCommerce: `X-WC-Webhook-Signature`, base64 HMAC-SHA256 of the raw body. */
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

/** Typeform: `Typeform-Signature: sha256=<base64 HMAC-SHA256 of the raw body>`. */
export const verifyTypeform = (request: RawRequest, secret: string): void =>
  requireMatch(
    [requireHeader(request, 'Typeform-Signature')],
    `sha256=${hmac('sha256', secret, request.body).toString('base64')}`,
  );
