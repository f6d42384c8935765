import type { RawRequest } from '../http/raw-request.ts';
import type { SenderAuthOf } from './auth-config.ts';
import { hmac, requireFresh, requireHeader, requireMatch } from './signature.ts';

/** An HMAC of the raw body (or of `<timestamp>.<body>`) in a header of the route's choosing. */
export const verifyGenericHmac = (
  request: RawRequest,
  secret: string,
  settings: SenderAuthOf<'hmac'>,
  now: Date,
): void => {
  const given = requireHeader(request, settings.header);
  let signed = request.body;
  let timestamp: string | undefined;
  if (settings.timestamp_header !== undefined) {
    timestamp = requireHeader(request, settings.timestamp_header);
    signed = Buffer.concat([Buffer.from(`${timestamp}.`), request.body]);
  }
  const digest = hmac(settings.algorithm, secret, signed).toString(settings.encoding);
  requireMatch([given], `${settings.prefix ?? ''}${digest}`);
  if (timestamp !== undefined) requireFresh(timestamp, now, settings.tolerance_seconds);
};
