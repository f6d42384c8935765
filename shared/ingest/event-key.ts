import { contentKey, type KeySource } from '../calls/idempotency.ts';
import type { RouteConfig } from '../config/schema.ts';
import type { PayloadOptions } from '../http/parse-body.ts';
import { ProblemError } from '../http/problem-error.ts';
import type { RawRequest } from '../http/raw-request.ts';
import { signsRequests } from '../senders/registry.ts';
import type { VerifiedSender } from '../senders/sender-scheme.ts';
import type { EventContext } from './event-context.ts';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
const HEADER_KEY = new RegExp(`^[\\x21-\\x7e]{1,${MAX_IDEMPOTENCY_KEY_LENGTH}}$`);

/**
 * Whether the route lets an `Idempotency-Key` header name the event. The header is not signed:
 * on a signed route it would let anyone who saw one delivery replay it as a new call.
 */
export const acceptsIdempotencyHeader = (route: RouteConfig): boolean =>
  route.idempotency_header ?? !signsRequests(route.auth);

/**
 * The event's key, from the first of: the Idempotency-Key header (where the route accepts it),
 * the route's `idempotency_key` expression over the payload, an event id the sender signed,
 * and the payload's own hash.
 */
export const eventKeyOf = async (
  request: RawRequest,
  route: RouteConfig,
  event: EventContext,
  verified: VerifiedSender,
): Promise<{ source: KeySource; key: string }> => {
  const header = request.headers['idempotency-key'];
  if (header !== undefined && acceptsIdempotencyHeader(route)) {
    if (!HEADER_KEY.test(header)) {
      throw new ProblemError(
        'invalid_idempotency_key',
        `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters.`,
      );
    }
    return { source: 'header', key: header };
  }
  if (route.idempotency_key !== undefined) {
    const value = await event.value(route.idempotency_key);
    if ((typeof value === 'string' && value !== '') || typeof value === 'number') {
      return { source: 'route', key: String(value) };
    }
  }
  if (verified.eventId !== undefined) return { source: 'sender', key: verified.eventId };
  return { source: 'content', key: contentKey(event.payload) };
};

/**
 * The event's fields. Where the sender signs, only the signed body counts, read in the route's
 * format; query parameters are fields only on routes whose sender cannot sign (forms, no-code
 * tools), less the one carrying the token.
 */
export const payloadOptionsFor = (route: RouteConfig): PayloadOptions => {
  const { auth } = route;
  // A browser form posts JSON, and only its body counts: a link could not add fields to it.
  if (auth.type === 'browser') return { queryFields: false, bodyFormat: 'json' };
  if (signsRequests(auth)) return { queryFields: false, bodyFormat: route.body_format };
  return { omitQuery: auth.type === 'token' ? [auth.query] : [] };
};
