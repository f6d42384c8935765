import * as z from 'zod';
import { MAX_REASON_LENGTH } from '../events/provider-event.ts';
import { SKIP_REASONS } from '../ingest/guardrails/registry.ts';
import { handshakeReasons } from '../senders/registry.ts';
import { MAX_CALL_SECONDS } from '../validation/provider-numbers.ts';
import { CallId, CallStatus } from './admin-schemas.ts';
import { CONTRACT_SCHEMAS, dateTime, named } from './registry.ts';

/**
 * What the hooks answer, described once: a sender's webhook (`POST /hooks/{route}`, answered by
 * shared/ingest/accept-webhook.ts, whose `Accepted` type is made of these) and a provider's
 * notification (`POST /events/{account}`, whose handler checks its answer against these), and
 * the notification's body. Their `components.schemas` in docs/openapi.json are generated from
 * them (`npm run openapi`). The enums come from where the codes are made (the guardrails'
 * registry, the senders' handshakes), so a new one reaches the description by itself.
 */

const dueAt = () =>
  dateTime().optional().register(CONTRACT_SCHEMAS, {
    description: 'A `scheduled` call: when its calling hours open.',
  });

export const HookAccepted = named(
  'HookAccepted',
  z.strictObject({
    call_id: CallId,
    status: z.enum(['queued', 'scheduled']),
    duplicate: z.literal(false),
    due_at: dueAt(),
  }),
);

export const HookDuplicate = named(
  'HookDuplicate',
  z.strictObject({
    call_id: CallId,
    // A repeat of a skipped event is answered as a skip (HookSkipped), never as a duplicate.
    status: CallStatus.exclude(['skipped']),
    duplicate: z.literal(true),
    due_at: dueAt(),
  }),
);

export const HookSkipped = named(
  'HookSkipped',
  z.strictObject({
    call_id: CallId,
    status: z.literal('skipped'),
    reason: z
      .enum(SKIP_REASONS)
      .register(CONTRACT_SCHEMAS, { description: 'A guardrail’s code, or `test_event`.' }),
    duplicate: z.boolean(),
    duplicate_of: CallId.optional().register(CONTRACT_SCHEMAS, {
      description: '`duplicate_contact`: the call of the route group this event merged into.',
    }),
  }),
  'An authentic event that must not ring, kept as `skipped` (on an `accept` route).',
);

export const HookCancelRecorded = named(
  'HookCancelRecorded',
  z.strictObject({
    status: z.literal('cancel_recorded'),
    call_id: CallId,
    call_status: CallStatus,
    duplicate: z.boolean(),
  }),
  'A cancelling route’s event (its `cancels`): the word reached the call of the route it cancels with the same event key, whatever state that call is in, or whether it exists yet. `call_status` is that call’s state after it: `cancelled` (it was waiting), `dialing`, `placed` or `unknown` (ringing: left to end, with no attempt after it), a final state (already over), or `skipped` (its event has not come yet, and will be skipped when it does).',
);

/**
 * Why ingest itself lets an event go; a sender's handshake names its own reason. A cancelling
 * route lets its sender's test deliveries go (`test_event`): they name no real order.
 */
const IGNORED_BY_ROUTE = ['condition_not_met', 'stale_event', 'test_event'] as const;

export const HookIgnored = named(
  'HookIgnored',
  z.strictObject({
    status: z.literal('ignored'),
    reason: z.enum([...IGNORED_BY_ROUTE, ...handshakeReasons()]),
  }),
  'An event that asks for no call; nothing is stored.',
);

/** A whole number the notification's template may render bare (`12`) or quoted (`"12"`). */
const renderedCount = (bare: z.ZodInt) => z.xor([bare, z.string().regex(/^[0-9]+$/)]);

/**
 * The notification's body as the contract states it. The events function parses it with its
 * own Zod Mini schema (shared/events/provider-event.ts), whose transforms JSON Schema cannot
 * show; the limits are its own constants.
 */
export const ProviderEvent = named(
  'ProviderEvent',
  z.looseObject({
    event: z.enum(['answered', 'ended']),
    call_session_id: renderedCount(z.int().min(1)),
    external_id: z.string().optional(),
    talk_time_duration: renderedCount(z.int().min(0).max(MAX_CALL_SECONDS)).optional(),
    total_time_duration: renderedCount(z.int().min(0).max(MAX_CALL_SECONDS)).optional(),
    finish_reason: z.string().max(MAX_REASON_LENGTH).optional(),
    notification_time: z.string().optional(),
  }),
  'A notification as the template in docs/operating.md renders it; other fields are kept as they came. Numbers may be rendered bare or quoted.',
);

export const ProviderEventRecorded = named(
  'ProviderEventRecorded',
  z.strictObject({
    status: z.literal('recorded'),
    call_id: CallId,
    call_status: CallStatus,
  }),
  'The event is about one of callhook’s calls: `call_status` is the call’s state after it (unchanged for a repeat or a word about an earlier attempt).',
);

export const ProviderEventIgnored = named(
  'ProviderEventIgnored',
  z.strictObject({
    status: z.literal('ignored'),
    reason: z.string(),
  }),
  'Not a call callhook placed (an `external_id` not its own, a session it does not know or that no longer names the call’s current attempt): acknowledged, so the provider does not send it again.',
);

export const InboundCallEvent = named(
  'InboundCallEvent',
  z.looseObject({
    event: z.literal('inbound'),
    contact_phone_number: z.xor([z.string().max(32), z.int().min(1)]),
    virtual_phone_number: z.xor([z.string().max(32), z.int().min(1)]).optional(),
    call_session_id: z.xor([z.string().max(32), z.int().min(1)]).optional(),
  }),
  'The third notification, *Inbound call*, as the template in docs/operating.md renders it: the customer rang the account. `contact_phone_number` is the caller in full international form (`+`, spaces and dashes are dropped; 7 to 15 digits remain).',
);

export const ProviderEventCustomerCalledIn = named(
  'ProviderEventCustomerCalledIn',
  z.strictObject({
    status: z.literal('customer_called_in'),
    stopped: z.array(CallId),
  }),
  'An inbound call: the calls to that number it stopped (on routes with `stop_when_customer_calls`, accepted within their window, that were still waiting or ringing).',
);

export type HookAccepted = z.infer<typeof HookAccepted>;
export type HookDuplicate = z.infer<typeof HookDuplicate>;
export type HookSkipped = z.infer<typeof HookSkipped>;
export type HookIgnored = z.infer<typeof HookIgnored>;
export type HookCancelRecorded = z.infer<typeof HookCancelRecorded>;
export type ProviderEventRecorded = z.infer<typeof ProviderEventRecorded>;
export type ProviderEventIgnored = z.infer<typeof ProviderEventIgnored>;
export type ProviderEventCustomerCalledIn = z.infer<typeof ProviderEventCustomerCalledIn>;
/** What `POST /events/{account}` answers `200` with. */
export type ProviderEventAnswer =
  | ProviderEventRecorded
  | ProviderEventIgnored
  | ProviderEventCustomerCalledIn;
