import { type CallRecord, last4DigitsOf } from '../calls/call-record.ts';
import type { RouteConfig } from '../config/schema.ts';
import { maskPhone } from '../logging/mask.ts';
import type { Refusal } from './guardrails/registry.ts';
import type { IngestDeps } from './ingest-deps.ts';

/** The event's contact as it came, masked: a skipped event may have no number to normalise. */
const maskedContactOf = (value: unknown): { masked: string; last4?: string } | undefined => {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).slice(0, 64);
  if (text === '') return undefined;
  const last4 = last4DigitsOf(text);
  return { masked: maskPhone(text), ...(last4 !== undefined && { last4 }) };
};

/**
 * What an event's call id may find stored: the event kept as skipped, or a call accepted before
 * (another delivery of which is a duplicate). A union on `status`, so that checking it tells
 * the two apart.
 */
export type AcceptedEvent = CallRecord & { status: Exclude<CallRecord['status'], 'skipped'> };
export type StoredEvent = AcceptedEvent | (CallRecord & { status: 'skipped' });

export interface SkipContext {
  routeName: string;
  route: RouteConfig;
  callId: string;
  event: { source: string; key: string };
  /** The contact as the payload gave it (`EventContext.rawContact`). */
  contact: unknown;
  refusal: Refusal;
  now: Date;
}

/** Stores the event as `skipped` under its call id; an existing record of it wins. */
export const recordSkip = async (
  deps: IngestDeps,
  context: SkipContext,
): Promise<{ created: boolean; record: StoredEvent }> => {
  const { route, refusal, now } = context;
  const at = now.toISOString();
  const contact = maskedContactOf(context.contact);
  // A duplicate contact's refusal names the call the event merged into: the record keeps it.
  const duplicateOf = refusal.extensions.duplicate_of;
  const record: CallRecord = {
    call_id: context.callId,
    route: context.routeName,
    account: route.account,
    status: 'skipped',
    ...(contact !== undefined && { contact_masked: contact.masked }),
    ...(contact?.last4 !== undefined && { contact_last4: contact.last4 }),
    event_key: context.event.key.slice(0, 256),
    key_source: context.event.source,
    ...(typeof duplicateOf === 'string' && { duplicate_of: duplicateOf }),
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
