import { createHash } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { RawRequest } from '../http/raw-request.ts';
import type { StandardWebhooksAuth } from './auth-schemas.ts';
import { senderScheme, type VerifiedSender } from './sender-scheme.ts';
import { requireFresh, requireHeader, requireMatch } from './signature.ts';

/** How far the signing time may be from now, either way: the reference library's tolerance. */
export const TOLERANCE_SECONDS = 5 * 60;

/**
 * Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64> …`):
 * HMAC-SHA256 of `<id>.<timestamp>.<body>` keyed with the base64 part of `whsec_…`, any of the
 * space-separated signatures, timestamp within ±5 minutes of `now`. The reference library
 * computes the signature; its own `verify` would read the real clock, so the time is checked
 * here and the signatures compared in constant time.
 */
export const verifyStandardWebhook = (
  request: RawRequest,
  secret: string,
  now: Date,
): VerifiedSender => {
  const id = requireHeader(request, 'webhook-id');
  const timestamp = requireHeader(request, 'webhook-timestamp');
  const signatures = requireHeader(request, 'webhook-signature');
  requireFresh(timestamp, now, TOLERANCE_SECONDS);
  const expected = new Webhook(secret).sign(id, new Date(Number(timestamp) * 1000), request.body);
  const given = signatures.split(' ').flatMap((versioned) => {
    const [version, signature] = versioned.split(',');
    return version === 'v1' && signature !== undefined ? [signature] : [];
  });
  requireMatch(given, expected.slice('v1,'.length));
  // The signature covers the message id: a retry keeps it, and nobody else can change it.
  return { eventId: id, signedAt: new Date(Number(timestamp) * 1000) };
};

export const standardWebhooks = senderScheme<typeof StandardWebhooksAuth>()({
  type: 'standard-webhooks',
  secret: 'standard-webhooks-key',
  signs: true,
  verify: (request, _auth, secret, now) => verifyStandardWebhook(request, secret, now),
  sign: (body, _auth, secret, now) => {
    // One id per message, kept by a retry: here, one per body.
    const id = `msg_${createHash('sha256').update(body).digest('hex').slice(0, 27)}`;
    const at = new Date(Math.floor(now.getTime() / 1000) * 1000);
    return {
      headers: {
        'webhook-id': id,
        'webhook-timestamp': String(at.getTime() / 1000),
        'webhook-signature': new Webhook(secret).sign(id, at, body),
      },
      body,
    };
  },
  presets: {},
});
