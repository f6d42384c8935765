import * as z from 'zod';
import { CALL_RESULTS } from '../calls/call-result.ts';
import { CALL_STATUSES } from '../calls/call-status.ts';
import { KEPT_PAYLOAD_BYTES, READ_AS } from '../calls/kept-event.ts';
import { PROBLEMS } from '../http/problem-error.ts';
import { CONTRACT_SCHEMAS, dateTime, named } from './registry.ts';

/**
 * The admin API's answers (`/calls`, `/figures`) and the problem body, described once: their
 * `components.schemas` in docs/openapi.json are generated from these (`npm run openapi`), the
 * view functions (shared/calls/call-view.ts) and the problem mapper return their types, and the
 * console and the CLI `import type` them.
 */
const count = () => z.int().min(0);
const seconds = () => z.number().min(0);

/** A call's id: `c_` and 32 hex digits (also the pattern of a new call's `Location`). */
export const CALL_ID_PATTERN = /^c_[0-9a-f]{32}$/;

export const CallId = named('CallId', z.string().regex(CALL_ID_PATTERN));

export const CallStatus = named(
  'CallStatus',
  z.enum(CALL_STATUSES),
  'The states of a call (docs/http-contract.md, What happens to a call). `completed` only when nothing more will happen to it: a call whose report may still ask for a redial stays `placed`.',
);

export const CallResult = named(
  'CallResult',
  z.enum(CALL_RESULTS),
  'How a call ended, in callhook’s words, from the provider’s report.',
);

export const CallError = named(
  'CallError',
  z.strictObject({
    reason: z.string().register(CONTRACT_SCHEMAS, {
      description:
        'The provider’s mnemonic (`contact_in_blacklist`) or callhook’s own reason (`expired`, `lease_expired`, …).',
    }),
    message: z.string(),
    code: z
      .int()
      .optional()
      .register(CONTRACT_SCHEMAS, { description: 'The provider’s error code.' }),
  }),
  'Why a call failed, went unknown or was skipped.',
);

export const DialView = named(
  'Dial',
  z.strictObject({
    attempt: z.int().min(1),
    external_id: z.string().register(CONTRACT_SCHEMAS, {
      description:
        'What the attempt was placed with, and what the provider’s events and reports name it by.',
    }),
    cause: z.enum(['event', 'redial', 'retry', 'again']).register(CONTRACT_SCHEMAS, {
      description:
        'Why it was made: the sender’s `event`, the route’s `redial`, an operator’s `retry`, or an operator’s `again` (call again, after a completed call that did not reach the customer).',
    }),
    call_session_id: z.int().nullable(),
    went_unknown: z.boolean().register(CONTRACT_SCHEMAS, {
      description:
        'Its placement was not confirmed at the time: it is never redialled automatically.',
    }),
    answered_at: dateTime().nullable(),
    ended_at: dateTime().nullable(),
    result: CallResult.nullable().register(CONTRACT_SCHEMAS, {
      description:
        'How it ended: the report’s result, else what its `ended` notification suggested.',
    }),
    finish_reason: z.string().nullable(),
    talk_s: seconds().nullable(),
    error: CallError.nullable(),
  }),
  'One attempt of a call: its identity and facts.',
);

export const CallOutcomeView = named(
  'CallOutcome',
  z.strictObject({
    reported_by: z.enum(['notification', 'report']).optional().register(CONTRACT_SCHEMAS, {
      description:
        'Who said so last: the provider’s `notification`, or its `report` (the Data API, a JAICP report), which wins where the two disagree.',
    }),
    answered: z.boolean().optional(),
    answered_at: dateTime()
      .optional()
      .register(CONTRACT_SCHEMAS, { description: 'When the provider reported the answer.' }),
    duration_s: count().optional(),
    ended_at: dateTime().optional(),
    result: CallResult.optional(),
    finish_reason: z.string().nullable().optional().register(CONTRACT_SCHEMAS, {
      description: 'The provider’s reason the result was read from.',
    }),
    talk_s: seconds()
      .optional()
      .register(CONTRACT_SCHEMAS, { description: 'Seconds of conversation.' }),
    wait_s: seconds()
      .optional()
      .register(CONTRACT_SCHEMAS, { description: 'Seconds the customer waited before it.' }),
  }),
  'What the provider reported about the placed call.',
);

export const HistoryEntry = named(
  'HistoryEntry',
  z.strictObject({
    status: CallStatus,
    at: dateTime(),
    reason: z.string().optional(),
  }),
  'A change of the call’s status.',
);

export const CallView = named(
  'CallView',
  z.strictObject({
    call_id: CallId,
    route: z.string(),
    status: CallStatus,
    method: z.string().nullable().register(CONTRACT_SCHEMAS, {
      description:
        'The backend method the call is placed with (`start.simple_call`, …); `null` for a skipped event.',
    }),
    contact: z.string().nullable().register(CONTRACT_SCHEMAS, {
      description: 'The number called, masked to its last 4 digits (`*******0000`).',
    }),
    call_session_id: z.int().nullable().register(CONTRACT_SCHEMAS, {
      description: 'The provider’s session of the current attempt, once placed.',
    }),
    attempts: count().register(CONTRACT_SCHEMAS, {
      description: 'Tries at sending the current attempt (a provider out of reach is tried again).',
    }),
    attempt: z.int().min(1).register(CONTRACT_SCHEMAS, {
      description:
        'The attempt the call is on: 1, then one more for each redial and each operator’s retry. Each attempt is placed with its own `external_id` (the call id, then `<call id>-<attempt>`).',
    }),
    event_key: z.string().nullable().register(CONTRACT_SCHEMAS, {
      description:
        'The event’s key as its sender knows it (an order id, an `Idempotency-Key`, the payload’s hash); `GET /calls?route=&key=` finds the call by it.',
    }),
    result: CallResult.nullable().register(CONTRACT_SCHEMAS, {
      description:
        'How the last attempt ended (its report, else its `ended` notification); `null` while none has ended.',
    }),
    talk_s: seconds().nullable().register(CONTRACT_SCHEMAS, {
      description: 'Seconds the last attempt talked, where the provider said.',
    }),
    dials: z.array(DialView).register(CONTRACT_SCHEMAS, {
      description:
        'Each attempt, oldest first (the last 8), with what the provider said of it. What is said about one attempt is kept on that attempt and never moves another.',
    }),
    due_at: dateTime().nullable().register(CONTRACT_SCHEMAS, {
      description: 'Not before this time (calling hours, a backoff, a limit reset).',
    }),
    outcome: CallOutcomeView.nullable(),
    created_at: dateTime(),
    updated_at: dateTime(),
    error: CallError.nullable().register(CONTRACT_SCHEMAS, {
      description: 'The current attempt’s error; earlier ones stay in their attempts.',
    }),
    cancelled_by_sender: z
      .strictObject({ at: dateTime(), route: z.string() })
      .nullable()
      .register(CONTRACT_SCHEMAS, {
        description:
          'The sender’s word that the call is no longer wanted: the cancelling route and when its event came. No attempt is sent after it.',
      }),
    customer_called_in: z.strictObject({ at: dateTime() }).nullable().register(CONTRACT_SCHEMAS, {
      description:
        'When the customer rang the account (the provider’s inbound-call notification), on a route with `stop_when_customer_calls`. No attempt is sent after it.',
    }),
    history: z
      .array(HistoryEntry)
      .max(20)
      .register(CONTRACT_SCHEMAS, { description: 'The last 20 changes, oldest first.' }),
    duplicate_of: CallId.nullable().register(CONTRACT_SCHEMAS, {
      description:
        'A `skipped` event of reason `duplicate_contact`: the call of its route group it merged into, whose history names this one.',
    }),
    escalation: z
      .strictObject({
        to: z.string(),
        call_id: CallId,
        state: z.enum(['planned', 'due', 'made', 'refused']),
        reason: z.string().nullable(),
      })
      .nullable()
      .register(CONTRACT_SCHEMAS, {
        description:
          'On a route with `escalate`: the linked call on route `to` made when the last attempt ends one of its `when` ways. `planned` until the call is over; `due` while the sweeper makes it; `made`; or `refused`, with why (the sender cancelled, the customer called in, the per-number cap).',
      }),
    escalated_from: CallId.nullable().register(CONTRACT_SCHEMAS, {
      description: 'A call made by an escalation: the call whose last attempt nobody answered.',
    }),
  }),
  'A call as the list and the actions show it.',
);

export const StatusEntry = named(
  'StatusEntry',
  z.strictObject({
    type: z.literal('status'),
    at: dateTime(),
    status: CallStatus,
    reason: z.string().nullable(),
  }),
);

export const ProviderEventEntry = named(
  'ProviderEventEntry',
  z.strictObject({
    type: z.literal('provider_event'),
    at: z.string().nullable().register(CONTRACT_SCHEMAS, {
      description: 'The notification’s `notification_time`, as the template renders it.',
    }),
    event: z.string().nullable(),
    finish_reason: z.string().nullable(),
    talk_time_duration: z.int().nullable(),
  }),
  'The last provider notification the record keeps: only these fields, phone numbers in them masked.',
);

export const ReportEntry = named(
  'ReportEntry',
  z.strictObject({
    type: z.literal('report'),
    at: dateTime().register(CONTRACT_SCHEMAS, { description: 'When callhook read the report.' }),
    attempt: z.int().min(1).register(CONTRACT_SCHEMAS, {
      description:
        "The attempt, from 1; a redial's `external_id` is the call id followed by `-<attempt>`.",
    }),
    call_session_id: z.int().nullable(),
    result: CallResult,
    finish_reason: z.string().nullable(),
    talk_s: seconds(),
    wait_s: seconds(),
    ended_at: dateTime(),
  }),
  'What the provider’s report (the Data API) said of one attempt: one entry per attempt whose report was read.',
);

export const CallbackEntry = named(
  'CallbackEntry',
  z.strictObject({
    type: z.literal('callback'),
    at: dateTime(),
    webhook_id: z.string(),
    status: CallStatus.nullable(),
    outcome: z.enum(['delivered', 'retrying', 'abandoned']),
    attempts: z.int().min(1),
    status_code: z.int().nullable(),
    last_error: z.string().nullable(),
    next_attempt_at: dateTime().nullable(),
  }),
  'A status callback’s delivery, at its latest attempt.',
);

export const TimelineEntry = named(
  'TimelineEntry',
  z.discriminatedUnion('type', [StatusEntry, ProviderEventEntry, ReportEntry, CallbackEntry]),
);

export const CallTimings = named(
  'CallTimings',
  z.strictObject({
    sender_event_at: dateTime().nullable().register(CONTRACT_SCHEMAS, {
      description:
        'From what the sender signed (the route’s `event_time`, else the signature’s time); it decides nothing.',
    }),
    accepted_at: dateTime(),
    placed_at: dateTime().nullable().register(CONTRACT_SCHEMAS, {
      description: 'By the history, which keeps the last 20 changes.',
    }),
    answered_at: dateTime().nullable(),
  }),
  'When the sender says the event happened, when callhook accepted it, first placed the call, and when the customer answered.',
);

export const CallDetail = named(
  'CallDetail',
  CallView.extend({
    key_source: z.string().nullable().register(CONTRACT_SCHEMAS, {
      description:
        'Where the event’s key came from: `header` (`Idempotency-Key`), `route` (the route’s `idempotency_key`), `sender` (the sender’s own id), `content` (the payload’s hash).',
    }),
    request: z
      .strictObject({
        method: z.string(),
        params: z.record(z.string(), z.unknown()),
      })
      .nullable()
      .register(CONTRACT_SCHEMAS, {
        description:
          'What the call says and to whom, as sent to the provider: the TTS text or media, the scenario and its variables. Phone numbers are masked to their last 4 digits, fields named like a secret are `***`; `null` for a skipped event.',
      }),
    timings: CallTimings,
    timeline: z.array(TimelineEntry).register(CONTRACT_SCHEMAS, {
      description: 'The call’s story, oldest first; entries without a time last.',
    }),
  }),
  'A call as `GET /calls/{call_id}` shows it: its view and its timeline.',
);

export const CallList = named(
  'CallList',
  z.strictObject({
    items: z.array(CallView).max(100),
    next_cursor: z.string().nullable().register(CONTRACT_SCHEMAS, {
      description: 'The `cursor` of the next page; `null` ends the list.',
    }),
  }),
);

export const RouteFigures = named(
  'RouteFigures',
  z.strictObject({
    route: z.string(),
    accepted: count().register(CONTRACT_SCHEMAS, {
      description: 'Every call created, skipped events aside.',
    }),
    placed: count().register(CONTRACT_SCHEMAS, {
      description: 'Calls that reached `placed` at some point (those `completed` since included).',
    }),
    completed: count(),
    failed: count(),
    unknown: count(),
    skipped: count(),
    accepted_to_placed_ms: z
      .strictObject({ p50: z.number(), p95: z.number() })
      .nullable()
      .register(CONTRACT_SCHEMAS, {
        description:
          'From `created_at` to the first `placed`, over the placed calls: median and 95th percentile; `null` when none was placed.',
      }),
    speed_to_lead: z
      .strictObject({
        target_minutes: z.int().min(1),
        talked: count(),
        met: count(),
        share: z.number().min(0).max(1).nullable(),
      })
      .nullable()
      .register(CONTRACT_SCHEMAS, {
        description:
          'The route’s speed-to-lead target (`target.talk_within_minutes`): of the calls that were answered, how many were within it of the sender’s event time (else acceptance), and their share (`null` when none was answered); `null` for a route without a target.',
      }),
    reach: z
      .strictObject({
        talked: count().register(CONTRACT_SCHEMAS, {
          description: 'Placed calls one of whose attempts talked to the customer.',
        }),
        connection_rate: z.number().min(0).max(1).nullable().register(CONTRACT_SCHEMAS, {
          description: '`talked` ÷ `placed`; `null` when none was placed.',
        }),
        results: z
          .strictObject({
            talked: count(),
            no_answer: count(),
            busy: count(),
            operator_missed: count(),
            rejected: count(),
            failed: count(),
          } satisfies Record<(typeof CALL_RESULTS)[number], unknown>)
          .register(CONTRACT_SCHEMAS, {
            description:
              'How each placed call’s last attempt ended: the report’s result, else the `ended` notification’s (calls still without one are not counted).',
          }),
        redials: count().register(CONTRACT_SCHEMAS, { description: 'Redial attempts made.' }),
        redials_talked: count().register(CONTRACT_SCHEMAS, {
          description: 'Calls that talked on a redial.',
        }),
        called_again: count().register(CONTRACT_SCHEMAS, {
          description: 'Operators’ call-again attempts.',
        }),
        called_again_talked: count(),
        skipped_by_reason: z.record(z.string(), count()).register(CONTRACT_SCHEMAS, {
          description: 'Skipped events by their reason (`invalid_phone`, `test_event`, …).',
        }),
        event_to_placed_ms: z
          .strictObject({ p50: z.number(), p95: z.number() })
          .nullable()
          .register(CONTRACT_SCHEMAS, {
            description:
              'From the sender’s own event time (`sender_event_at`, else acceptance) to the first placement: median and 95th percentile; `null` when none was placed.',
          }),
        trend: z
          .array(z.strictObject({ from: dateTime(), placed: count(), talked: count() }))
          .register(CONTRACT_SCHEMAS, {
            description:
              'The window in 24 equal slices, oldest first: the calls created in each that were placed, and that talked.',
          }),
      })
      .register(CONTRACT_SCHEMAS, {
        description: 'Whether the calls reached their customers.',
      }),
  }),
  'One route’s calls created in the window, by what became of them.',
);

export const FiguresReport = named(
  'FiguresReport',
  z.strictObject({
    since: dateTime(),
    until: dateTime(),
    complete: z.boolean().register(CONTRACT_SCHEMAS, {
      description:
        '`false` when the window held more calls than were read: the counts are then too low.',
    }),
    routes: z.array(RouteFigures),
    total: RouteFigures,
  }),
  'Each route’s figures over the window, and `total`: every route’s calls together, under the route name `All routes`.',
);

export const RouteSummary = named(
  'RouteSummary',
  z.strictObject({
    name: z.string(),
    preset: z.string().nullable().register(CONTRACT_SCHEMAS, {
      description: 'The preset it is written from; `null` for a route spelled out.',
    }),
    account: z.string(),
    sender: z.string().register(CONTRACT_SCHEMAS, {
      description: 'How its sender proves itself (`auth.type`: `hmac`, `token`, `none`, …).',
    }),
    method: z.string().nullable().register(CONTRACT_SCHEMAS, {
      description: 'The call it places; `null` on a cancelling route.',
    }),
    redials: z.boolean(),
    redial_max: count().nullable(),
    cancels: z.string().nullable().register(CONTRACT_SCHEMAS, {
      description: 'A cancelling route: the route whose calls its events cancel.',
    }),
    target_minutes: z.int().min(1).nullable().register(CONTRACT_SCHEMAS, {
      description: 'Its speed-to-lead target (`target.talk_within_minutes`).',
    }),
  }),
  'A configured route, as an operator picks it: no secret, no mapping.',
);

export const RouteList = named(
  'RouteList',
  z.strictObject({ routes: z.array(RouteSummary) }),
  'The configured routes, in the config’s order.',
);

const NumberCall = z.strictObject({
  call_id: CallId,
  attempt: z.int().min(1),
  at: dateTime(),
});

export const CallAgainPreview = named(
  'CallAgainPreview',
  z.strictObject({
    call_id: CallId,
    status: CallStatus,
    contact: z.string().nullable(),
    allowed: z.boolean().register(CONTRACT_SCHEMAS, {
      description:
        'Whether the call may be made again now; a call that talked needs `confirm_talked` besides.',
    }),
    why: z.string().nullable(),
    talked: z.boolean().register(CONTRACT_SCHEMAS, {
      description: 'Whether an attempt of it talked to the customer.',
    }),
    calls_today: z.array(NumberCall).register(CONTRACT_SCHEMAS, {
      description:
        'The number’s calls of the last 24 hours as the per-number cap counts them (each attempt), oldest first.',
    }),
    daily_limit: z.int().min(1),
  }),
  'What calling a call again would do, before it is done.',
);

export const CallEvent = named(
  'CallEvent',
  z.strictObject({
    call_id: CallId,
    payload: z
      .record(z.string(), z.unknown())
      .nullable()
      .register(CONTRACT_SCHEMAS, {
        description: `The event's payload as received, masked before it was stored: the fields the route read as the contact, fields named like a phone, and any text that looks like a phone number show only their last 4 digits, e-mail addresses only the first character of their mailbox and their domain (\`a***@example.com\`); fields named like a secret (token, key, password, signature, auth, card…) are \`***\`; a browser form's CAPTCHA token is left out. At most ${KEPT_PAYLOAD_BYTES} bytes of JSON. \`null\` where none was kept: a skipped or cancelling event, a call made by an escalation, a call of a route with \`keep_event: false\`, a call from before payloads were kept.`,
      }),
    truncated: z.boolean().register(CONTRACT_SCHEMAS, {
      description: `Whether fields, or the end of a text (marked \`…\`), were cut to stay within ${KEPT_PAYLOAD_BYTES} bytes.`,
    }),
    received_bytes: z.int().min(0).nullable().register(CONTRACT_SCHEMAS, {
      description: 'The size of the body as received.',
    }),
    read: z
      .array(
        z.strictObject({
          path: z.array(z.string()).register(CONTRACT_SCHEMAS, {
            description:
              'The field’s names from the payload’s top; an array’s items are at the array’s path.',
          }),
          as: z.array(z.enum(READ_AS)).min(1),
        }),
      )
      .register(CONTRACT_SCHEMAS, {
        description:
          'The fields the route’s expressions read (its contact, key, event time, condition, test flag, and what the call says), as the route was when the event came.',
      }),
  }),
  'An accepted event’s payload as received, masked and capped, and the fields the route read.',
);

export const BulkResult = named(
  'BulkResult',
  z.strictObject({
    action: z.enum(['retry', 'cancel', 'again']),
    dry_run: z.boolean(),
    named: count(),
    applicable: count().register(CONTRACT_SCHEMAS, {
      description: 'The calls the action applies to (a dry run), or was applied to.',
    }),
    done: z.array(z.strictObject({ call_id: CallId, status: CallStatus })),
    skipped: z.array(
      z.strictObject({ call_id: z.string(), status: CallStatus.nullable(), why: z.string() }),
    ),
  }),
  'What a bulk action did, call by call; with `dry_run`, what it would do.',
);

const PROBLEM_CODES = Object.keys(PROBLEMS) as [
  keyof typeof PROBLEMS,
  ...(keyof typeof PROBLEMS)[],
];

export const ProblemCode = named(
  'ProblemCode',
  z.enum(PROBLEM_CODES),
  'Every code of the catalogue (`PROBLEMS` in shared/http/problem-error.ts); each has one status, listed in docs/http-contract.md.',
);

export const Problem = named(
  'Problem',
  z.strictObject({
    type: z
      .string()
      .regex(/^urn:callhook:problem:[a-z_]+$/)
      .register(CONTRACT_SCHEMAS, {
        format: 'uri',
        description: '`urn:callhook:problem:` and the code.',
      }),
    title: z.string().register(CONTRACT_SCHEMAS, {
      description: 'The code’s title: the same for every answer of a code.',
    }),
    status: z
      .int()
      .min(400)
      .max(599)
      .register(CONTRACT_SCHEMAS, { description: 'The HTTP status.' }),
    detail: z
      .string()
      .register(CONTRACT_SCHEMAS, { description: 'What went wrong this time, for a person.' }),
    code: ProblemCode,
    parameter: z.string().optional().register(CONTRACT_SCHEMAS, {
      description: '`invalid_filter`: the query parameter at fault.',
    }),
    call_id: CallId.optional().register(CONTRACT_SCHEMAS, {
      description:
        '`idempotency_conflict`, `not_cancellable`, `not_retryable`, `not_abandonable`, `not_callable_again`, `contact_rate_limited` on call again, and a refused repeat of a skipped event: the call concerned.',
    }),
    call_status: CallStatus.optional().register(CONTRACT_SCHEMAS, {
      description:
        '`not_cancellable`, `not_retryable`, `not_abandonable`, `not_callable_again`: the call’s status.',
    }),
    talked: z.boolean().optional().register(CONTRACT_SCHEMAS, {
      description: '`not_callable_again`: whether an attempt of the call talked to the customer.',
    }),
    lease_expires_at: dateTime().optional().register(CONTRACT_SCHEMAS, {
      description: '`not_abandonable`: when the dispatcher’s lease expires.',
    }),
    duplicate_of: CallId.optional().register(CONTRACT_SCHEMAS, {
      description: '`duplicate_contact`: the call of the route group the event merged into.',
    }),
  }),
  'RFC 9457 problem details with callhook’s stable machine `code`. Some codes carry extension members; none replaces a standard one.',
);

export type CallId = z.infer<typeof CallId>;
export type CallStatus = z.infer<typeof CallStatus>;
export type CallError = z.infer<typeof CallError>;
export type DialView = z.infer<typeof DialView>;
export type DialCause = DialView['cause'];
export type CallOutcomeView = z.infer<typeof CallOutcomeView>;
export type CallView = z.infer<typeof CallView>;
export type StatusEntry = z.infer<typeof StatusEntry>;
export type ProviderEventEntry = z.infer<typeof ProviderEventEntry>;
export type ReportEntry = z.infer<typeof ReportEntry>;
export type CallbackEntry = z.infer<typeof CallbackEntry>;
export type TimelineEntry = z.infer<typeof TimelineEntry>;
export type CallTimings = z.infer<typeof CallTimings>;
export type CallDetail = z.infer<typeof CallDetail>;
export type CallList = z.infer<typeof CallList>;
export type RouteFigures = z.infer<typeof RouteFigures>;
export type FiguresReport = z.infer<typeof FiguresReport>;
export type RouteSummary = z.infer<typeof RouteSummary>;
export type RouteList = z.infer<typeof RouteList>;
export type CallAgainPreview = z.infer<typeof CallAgainPreview>;
export type CallEvent = z.infer<typeof CallEvent>;
export type BulkResult = z.infer<typeof BulkResult>;
export type ProblemCode = z.infer<typeof ProblemCode>;
export type Problem = z.infer<typeof Problem>;
