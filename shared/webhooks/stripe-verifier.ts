import { ProblemError } from '../http/problem-error.ts';
import type { RawRequest } from '../http/raw-request.ts';
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
