import { type CallRecord, last4DigitsOf } from '../calls/call-record.ts';
import type { RouteConfig } from '../config/schema.ts';
import type { Payload } from '../http/parse-body.ts';
import { type ProblemCode, ProblemError } from '../http/problem-error.ts';
import { maskPhone } from '../logging/mask.ts';
import { conditionHolds, evaluate } from '../routes/map-call.ts';
import type { IngestDeps } from './ingest-deps.ts';

/**
 * The refusals of an authentic event that say "this event must not ring", not "this request is
 * wrong": such an event is kept as `skipped`, so that the sender's retries of it are duplicates,
 * and a sender that switches webhooks off after failures can be answered 2xx.
 */
export const SKIP_REASONS = [
  'invalid_phone',
  'invalid_payload',
  'country_not_allowed',
  'number_type_not_allowed',
  'own_number',
  'message_too_long',
  'contact_rate_limited',
  'test_event',
] as const satisfies readonly ProblemCode[];
export type SkipReason = (typeof SKIP_REASONS)[number];

export const isSkipReason = (error: unknown): error is ProblemError & { code: SkipReason } =>
  error instanceof ProblemError && (SKIP_REASONS as readonly string[]).includes(error.code);

/** A refusal for a sender's own test delivery, on a route that does not place them. */
export const testEventRefusal = async (
  route: RouteConfig,
  payload: Payload,
): Promise<ProblemError | undefined> => {
  if (route.test_events === 'call' || route.test_event === undefined) return undefined;
  if (!(await conditionHolds(route.test_event, payload))) return undefined;
  return new ProblemError(
    'test_event',
    'The sender marked this delivery as a test; the route places test deliveries only with "test_events": "call".',
  );
};

/** The event's contact as it came, masked: a skipped event may have no number to normalise. */
const maskedContactOf = async (
  route: RouteConfig,
  payload: Payload,
): Promise<{ masked: string; last4?: string } | undefined> => {
  try {
    const value = await evaluate(route.call.contact, payload);
    if (typeof value !== 'string' && typeof value !== 'number') return undefined;
    const text = String(value).slice(0, 64);
    if (text === '') return undefined;
    const last4 = last4DigitsOf(text);
    return { masked: maskPhone(text), ...(last4 !== undefined && { last4 }) };
  } catch {
    return undefined;
  }
};

export interface SkipContext {
  routeName: string;
  route: RouteConfig;
  callId: string;
  event: { source: string; key: string };
  payload: Payload;
  refusal: ProblemError & { code: SkipReason };
  now: Date;
}

/** Stores the event as `skipped` under its call id; an existing record of it wins. */
export const recordSkip = async (
  deps: IngestDeps,
  context: SkipContext,
): Promise<{ created: boolean; record: CallRecord }> => {
  const { route, refusal, now } = context;
  const at = now.toISOString();
  const contact = await maskedContactOf(route, context.payload);
  const record: CallRecord = {
    call_id: context.callId,
    route: context.routeName,
    account: route.account,
    status: 'skipped',
    ...(contact !== undefined && { contact_masked: contact.masked }),
    ...(contact?.last4 !== undefined && { contact_last4: contact.last4 }),
    event_key: context.event.key.slice(0, 256),
    key_source: context.event.source,
    // Every delivery of a skipped event is a repeat of it, whatever it holds now.
    fingerprint: 'skipped',
    attempts: 0,
    max_attempts: 0,
    error: { reason: refusal.code, message: refusal.message },
    history: [{ status: 'skipped', at, reason: `${refusal.code}: ${refusal.message}` }],
    version: 1,
    created_at: at,
    updated_at: at,
    expires_at: Math.floor(now.getTime() / 1000) + deps.config.retention_days * 86_400,
  };
  const outcome = await deps.store.create(record, now);
  if (!outcome.created) return { created: false, record: outcome.existing };
  deps.logger.info('event skipped', {
    call_id: record.call_id,
    route: context.routeName,
    reason: refusal.code,
    metric: 'EventSkipped',
  });
  return { created: true, record };
};
