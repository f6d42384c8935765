import { createHash, createHmac } from 'node:crypto';

/**
 * How each sender signs, written from its own documentation and independent of callhook's
 * verifiers, so a test fails if a verifier drifts from the scheme.
 */
export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

const b64 = (key: string | Buffer, data: string) =>
  createHmac('sha256', key).update(data).digest('base64');
const hex = (key: string | Buffer, data: string, algorithm = 'sha256') =>
  createHmac(algorithm, key).update(data).digest('hex');
const nowSeconds = () => Math.floor(Date.now() / 1000);

export const signShopify = (secret: string, body: string): SignedRequest => ({
  headers: {
    'content-type': 'application/json',
    'x-shopify-topic': 'orders/create',
    'x-shopify-hmac-sha256': b64(secret, body),
  },
  body,
});

export const signWooCommerce = (secret: string, body: string): SignedRequest => ({
  headers: {
    'content-type': 'application/json',
    'x-wc-webhook-topic': 'order.created',
    'x-wc-webhook-signature': b64(secret, body),
  },
  body,
});

export const signTypeform = (secret: string, body: string): SignedRequest => ({
  headers: {
    'content-type': 'application/json',
    'typeform-signature': `sha256=${b64(secret, body)}`,
  },
  body,
});

export const signStripe = (secret: string, body: string, at = nowSeconds()): SignedRequest => ({
  headers: {
    'content-type': 'application/json',
    'stripe-signature': `t=${at},v1=${hex(secret, `${at}.${body}`)},v0=${'0'.repeat(64)}`,
  },
  body,
});

/**
 * `secret` is `whsec_<base64>`; the key is the decoded base64 part. Each message has its own id
 * (a retry keeps it); by default one derived from the body, so two events never share one.
 */
export const signStandardWebhook = (
  secret: string,
  body: string,
  at = nowSeconds(),
  id = `msg_${createHash('sha256').update(body).digest('hex').slice(0, 27)}`,
): SignedRequest => {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return {
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(at),
      'webhook-signature': `v1,${b64(key, `${id}.${at}.${body}`)}`,
    },
    body,
  };
};

/** The generic scheme as the test config sets it: hex SHA-512 of `<t>.<body>`, prefixed. */
export const signGenericHmac = (
  secret: string,
  body: string,
  at = nowSeconds(),
): SignedRequest => ({
  headers: {
    'content-type': 'application/json',
    'x-signature-timestamp': String(at),
    'x-signature': `sha512=${hex(secret, `${at}.${body}`, 'sha512')}`,
  },
  body,
});
