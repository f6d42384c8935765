import type * as z from 'zod';
import type { RawRequest } from '../http/raw-request.ts';
import type { HmacAuth } from './auth-schemas.ts';
import { NOTHING_MORE, senderScheme } from './sender-scheme.ts';
import { hmac as hmacOf, requireFresh, requireHeader, requireMatch } from './signature.ts';

/** An HMAC of the raw body (or of `<timestamp>.<body>`) in a header of the route's choosing. */
export const verifyGenericHmac = (
  request: RawRequest,
  secret: string,
  settings: z.output<typeof HmacAuth>,
  now: Date,
): void => {
  const given = requireHeader(request, settings.header);
  let signed = request.body;
  let timestamp: string | undefined;
  if (settings.timestamp_header !== undefined) {
    timestamp = requireHeader(request, settings.timestamp_header);
    signed = Buffer.concat([Buffer.from(`${timestamp}.`), request.body]);
  }
  const digest = hmacOf(settings.algorithm, secret, signed).toString(settings.encoding);
  requireMatch([given], `${settings.prefix ?? ''}${digest}`);
  if (timestamp !== undefined) requireFresh(timestamp, now, settings.tolerance_seconds);
};

/** Signs as `verifyGenericHmac` checks, with the route's header, algorithm and encoding. */
export const signGenericHmac = (
  body: string,
  secret: string,
  settings: z.output<typeof HmacAuth>,
  now: Date,
): Record<string, string> => {
  const headers: Record<string, string> = {};
  let signed = body;
  if (settings.timestamp_header !== undefined) {
    const timestamp = String(Math.floor(now.getTime() / 1000));
    headers[settings.timestamp_header] = timestamp;
    signed = `${timestamp}.${body}`;
  }
  const digest = hmacOf(settings.algorithm, secret, signed).toString(settings.encoding);
  headers[settings.header] = `${settings.prefix ?? ''}${digest}`;
  return headers;
};

/** Any sender that signs the raw body with HMAC, in a header and encoding the route names. */
export const hmac = senderScheme<typeof HmacAuth>()({
  type: 'hmac',
  secret: 'signing-key',
  signs: true,
  verify: (request, auth, secret, now) => {
    verifyGenericHmac(request, secret, auth, now);
    return NOTHING_MORE;
  },
  sign: (body, auth, secret, now) => ({ headers: signGenericHmac(body, secret, auth, now), body }),
  presets: {},
});
