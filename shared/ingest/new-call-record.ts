import type { CallRequest } from '../backends/config-registry.ts';
import { entryOf } from '../backends/registry.ts';
import { type CallRecord, last4DigitsOf } from '../calls/call-record.ts';
import { fingerprintOf } from '../calls/idempotency.ts';
import type { AccountConfig, RouteConfig } from '../config/schema.ts';
import { nextOpening } from '../routes/calling-hours.ts';

/** What a new call is made of: an accepted event's, or an escalation's. */
export interface NewCall {
  callId: string;
  routeName: string;
  route: RouteConfig;
  account: AccountConfig;
  request: CallRequest;
  now: Date;
  retentionDays: number;
  /** How long a queued call's message has before the sweeper sends it again. */
  lostMessageGraceMs: number;
  /** Its first history line's reason, before what the calling hours add. */
  reason: string;
  /** The event's key and where it came from (`KeySource`), for operators' searches. */
  key?: { source: string; key: string };
  senderEventAt?: number;
  /** Fields of its own (an escalation's link, a route's escalation). */
  extra?: Pick<CallRecord, 'escalation' | 'escalated_from' | 'consent'>;
}

/**
 * A call's first record: `queued`, or `scheduled` for the route's next opening when it comes
 * outside its calling hours (a backend that applies the hours itself gets it at once).
 */
export const newCallRecord = (call: NewCall): CallRecord & { status: 'queued' | 'scheduled' } => {
  const { now, route, request } = call;
  const at = now.toISOString();
  const opening =
    route.calling_hours === undefined || entryOf(call.account).capabilities.ownsCallingWindow
      ? undefined
      : nextOpening(route.calling_hours, now);
  const dueAt = opening?.toISOString();
  const status = dueAt === undefined ? 'queued' : 'scheduled';
  const last4 = last4DigitsOf(request.params.contact);
  const senderEventAt = call.senderEventAt;
  return {
    ...call.extra,
    call_id: call.callId,
    route: call.routeName,
    account: route.account,
    status,
    request,
    fingerprint: fingerprintOf(request),
    attempts: 0,
    max_attempts: route.max_attempts,
    history: [
      {
        status,
        at,
        reason: `${call.reason}${dueAt === undefined ? '' : `; outside calling hours, due ${dueAt}`}`,
      },
    ],
    ...(dueAt === undefined
      ? { sweep_at: new Date(now.getTime() + call.lostMessageGraceMs).toISOString() }
      : { due_at: dueAt, sweep_at: dueAt }),
    ...(last4 !== undefined && { contact_last4: last4 }),
    ...(senderEventAt !== undefined &&
      Number.isFinite(senderEventAt) &&
      Math.abs(senderEventAt) <= 8.64e15 && {
        sender_event_at: new Date(senderEventAt).toISOString(),
      }),
    ...(call.key !== undefined && {
      event_key: call.key.key.slice(0, 256),
      key_source: call.key.source,
    }),
    version: 1,
    created_at: at,
    updated_at: at,
    expires_at: Math.floor(now.getTime() / 1000) + call.retentionDays * 86_400,
  };
};
