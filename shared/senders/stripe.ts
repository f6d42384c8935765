import * as z from 'zod';
import { SecretName } from '../config/secret-name.ts';
import { ProblemError } from '../http/problem-error.ts';
import type { RawRequest } from '../http/raw-request.ts';
import { Tolerance } from './auth-fields.ts';
import { NOTHING_MORE, senderScheme } from './sender-scheme.ts';
import { hmac, requireFresh, requireHeader, requireMatch } from './signature.ts';

/**
 * Stripe: `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]`, each `v1` a hex
 * HMAC-SHA256 of `<t>.<raw body>` under the endpoint secret (several while a secret rolls).
 * A timestamp older than the tolerance is refused, so a captured request cannot be replayed
 * later.
 */
export const verifyStripe = (
  request: RawRequest,
  secret: string,
  toleranceSeconds: number,
  now: Date,
): void => {
  const header = requireHeader(request, 'Stripe-Signature');
  const pairs = header.split(',').map((part) => {
    const at = part.indexOf('=');
    return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
  });
  const timestamp = pairs.find(([key]) => key === 't')?.[1];
  const signatures = pairs.filter(([key]) => key === 'v1').map(([, value]) => value);
  if (timestamp === undefined || signatures.length === 0) {
    throw new ProblemError(
      'invalid_signature',
      'Stripe-Signature has no timestamp or no v1 signature.',
    );
  }
  requireMatch(
    signatures,
    hmac('sha256', secret, Buffer.concat([Buffer.from(`${timestamp}.`), request.body])).toString(
      'hex',
    ),
  );
  requireFresh(timestamp, now, toleranceSeconds);
};

const phone = 'data.object.customer_details.phone';

export const stripe = senderScheme({
  auth: z.strictObject({
    type: z.literal('stripe'),
    secret: SecretName.describe("Secret holding the endpoint's signing secret (whsec_…)."),
    tolerance_seconds: Tolerance.describe('How old a signed timestamp may be.'),
  }),
  secret: 'signing-key',
  signs: true,
  verify: (request, auth, secret, now) => {
    verifyStripe(request, secret, auth.tolerance_seconds, now);
    return NOTHING_MORE;
  },
  presets: {
    'stripe-checkout-completed': {
      auth: { type: 'stripe' },
      call: {
        method: 'start.informer_call',
        contact: phone,
        contact_message: {
          type: 'tts',
          value:
            "'Thank you! Your payment of ' & $formatNumber(data.object.amount_total / 100, '0.00') & ' ' & $uppercase(data.object.currency) & ' is confirmed.'",
        },
      },
      event_time: 'created',
      idempotency_key: 'id',
      condition: `type = 'checkout.session.completed' and $boolean(${phone})`,
    },
  },
});
