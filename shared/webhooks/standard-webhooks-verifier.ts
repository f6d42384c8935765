import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { ProblemError } from '../http/problem-error.ts';
import type { RawRequest } from '../http/raw-request.ts';
import { requireHeader } from './signature.ts';
import type { VerifiedSender } from './verified-sender.ts';

/**
 * Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64> …`),
 * verified by the reference library: HMAC-SHA256 of `<id>.<timestamp>.<body>` keyed with the
 * base64 part of `whsec_…`, any of the space-separated signatures, timestamp within ±5 minutes.
 */
export const verifyStandardWebhook = (request: RawRequest, secret: string): VerifiedSender => {
  const headers = {
    'webhook-id': requireHeader(request, 'webhook-id'),
    'webhook-timestamp': requireHeader(request, 'webhook-timestamp'),
    'webhook-signature': requireHeader(request, 'webhook-signature'),
  };
  try {
    new Webhook(secret).verify(request.body, headers);
    // The signature covers the message id: a retry keeps it, and nobody else can change it.
    return { eventId: headers['webhook-id'] };
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      throw new ProblemError(
        'invalid_signature',
        `The Standard Webhooks signature was refused: ${error.message}.`,
      );
    }
    throw error;
  }
};
