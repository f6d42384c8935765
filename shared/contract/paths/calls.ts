import { DEFAULT_FIGURES_HOURS, MAX_FIGURES_HOURS } from '../../calls/call-figures.ts';
import { DEFAULT_LIST_LIMIT, MAX_KEY_LENGTH, MAX_LIST_LIMIT } from '../../calls/call-list.ts';
import { CALL_RESULTS } from '../../calls/call-result.ts';
import { CALL_STATUSES } from '../../calls/call-status.ts';
import { KEPT_PAYLOAD_BYTES } from '../../calls/kept-event.ts';
import {
  BulkResult,
  CallAgainPreview,
  CallDetail,
  CallEvent,
  CallList,
  CallView,
  FiguresReport,
  RouteList,
} from '../admin-schemas.ts';
import { type Operation, type PathItem, problem } from '../operations.ts';
import {
  ADMIN_UNAUTHORIZED,
  CALL_ID_PARAMETER,
  CALL_NOT_FOUND,
  INTERNAL_ERROR,
} from './components.ts';

/** The admin endpoints: the calls, an operator's actions on one, and the figures. */

const STATUS = `(${CALL_STATUSES.join('|')})`;
const RESULT = `(${CALL_RESULTS.join('|')})`;
const badBody = (what: string) =>
  problem(`${what} (\`parameter\` names the field), or a body that is not JSON.`, [
    'invalid_filter',
    'malformed_body',
  ]);

/** What every action on one call shares: its tag, the admin key, the id, the usual refusals. */
const onCall = {
  tags: ['calls'],
  security: [{ adminKey: [] }],
  parameters: [CALL_ID_PARAMETER],
} as const satisfies Partial<Operation>;
const callRefusals = { 401: ADMIN_UNAUTHORIZED, 404: CALL_NOT_FOUND, 500: INTERNAL_ERROR } as const;

export const CALLS_PATHS: Record<string, PathItem> = {
  '/calls': {
    get: {
      operationId: 'listCalls',
      summary: 'List calls, newest first; or find the call of one event by its key',
      description:
        'Filters combine. A page may hold fewer than `limit` calls while `next_cursor` is not `null`: only `"next_cursor": null` ends the list. With `route` and `key`, the answer is the call of that event (an empty `items` if there is none) and `next_cursor` is `null`.',
      tags: ['calls'],
      security: [{ adminKey: [] }],
      parameters: [
        {
          name: 'status',
          in: 'query',
          description: 'Calls in one of these states, comma-separated (`failed,unknown`).',
          schema: { type: 'string', pattern: `^${STATUS}(,${STATUS})*$` },
        },
        {
          name: 'result',
          in: 'query',
          description:
            'Calls whose last attempt ended so, comma-separated (`no_answer,busy`): the report’s result, else the `ended` notification’s.',
          schema: { type: 'string', pattern: `^${RESULT}(,${RESULT})*$` },
        },
        {
          name: 'route',
          in: 'query',
          description: 'The calls of that route.',
          schema: { type: 'string', minLength: 1, maxLength: 128 },
        },
        {
          name: 'since',
          in: 'query',
          description:
            'Calls created at or after this ISO 8601 time (`2025-03-01T12:00:00+03:00`) or date (`2025-03-01`: its midnight UTC).',
          schema: { type: 'string' },
        },
        {
          name: 'until',
          in: 'query',
          description: 'Calls created at or before this ISO 8601 time or date.',
          schema: { type: 'string' },
        },
        {
          name: 'contact_last4',
          in: 'query',
          description: 'Calls whose contact ends in these 4 digits.',
          schema: { type: 'string', pattern: '^[0-9]{4}$' },
        },
        {
          name: 'limit',
          in: 'query',
          description: 'At most this many calls a page.',
          schema: {
            type: 'integer',
            minimum: 1,
            maximum: MAX_LIST_LIMIT,
            default: DEFAULT_LIST_LIMIT,
          },
        },
        {
          name: 'cursor',
          in: 'query',
          description:
            'The page after the one whose `next_cursor` this is, with the same filters. Opaque and signed.',
          schema: { type: 'string' },
        },
        {
          name: 'key',
          in: 'query',
          description:
            'With `route`: the call of the event with this key (an order id, Tilda’s `tranid`, an `Idempotency-Key`, or the payload’s hash); takes no `cursor`.',
          schema: { type: 'string', minLength: 1, maxLength: MAX_KEY_LENGTH },
        },
      ],
      responses: {
        200: {
          description: 'A page of calls, each without its timeline.',
          content: { 'application/json': CallList },
        },
        400: problem(
          'An unknown parameter or a bad value (`invalid_filter`, its `parameter` naming which), or a cursor this query did not give (`invalid_cursor`).',
          ['invalid_filter', 'invalid_cursor'],
        ),
        401: ADMIN_UNAUTHORIZED,
        500: INTERNAL_ERROR,
      },
    },
  },
  '/calls/search': {
    post: {
      operationId: 'searchCallsByContact',
      summary: 'Find the calls to one phone number',
      description:
        'The number goes in the body, never in a URL. Its calls of the last 24 hours are found by its keyed hash in the per-number counts (the HMAC under the deployment’s contact key, as the per-number cap keeps it); older ones among the calls whose contact ends in the same 4 digits, each compared in full. Newest first, at most 100; `next_cursor` is always `null`. Skipped events keep no number and are not found.',
      tags: ['calls'],
      security: [{ adminKey: [] }],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            type: 'object',
            required: ['contact'],
            additionalProperties: false,
            properties: {
              contact: {
                type: 'string',
                description: 'The number in international form: `+7 926 000-01-02`.',
              },
              route: { type: 'string', description: 'Only that route’s calls.' },
            },
          },
        },
      },
      responses: {
        200: {
          description: 'The calls to the number, each without its timeline.',
          content: { 'application/json': CallList },
        },
        400: badBody('A field that is unknown or not a number in international form'),
        401: ADMIN_UNAUTHORIZED,
        500: INTERNAL_ERROR,
      },
    },
  },
  '/calls/bulk': {
    post: {
      operationId: 'bulkCallAction',
      summary: 'Retry, cancel or call again many calls',
      description:
        'One action over up to 100 calls (a filtered list’s page), four at a time, each decided as the single action is. With `"dry_run": true` nothing changes: the answer says which calls it would apply to. `again` in bulk never calls a call that talked.',
      tags: ['calls'],
      security: [{ adminKey: [] }],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            type: 'object',
            required: ['action', 'call_ids'],
            additionalProperties: false,
            properties: {
              action: { type: 'string', enum: ['retry', 'cancel', 'again'] },
              call_ids: {
                type: 'array',
                minItems: 1,
                maxItems: 100,
                items: { type: 'string', pattern: '^c_[0-9a-f]{32}$' },
              },
              dry_run: { type: 'boolean', default: false },
            },
          },
        },
      },
      responses: {
        200: {
          description: 'Call by call, what was done (or would be) and what was not, and why.',
          content: { 'application/json': BulkResult },
        },
        400: badBody('An unknown field, an unknown action, or no call ids'),
        401: ADMIN_UNAUTHORIZED,
        500: INTERNAL_ERROR,
      },
    },
  },
  '/routes': {
    get: {
      operationId: 'listRoutes',
      summary: 'The configured routes',
      description:
        'Each route’s name, preset, account, sender check, call method, and whether it redials: what the console’s route picker offers. No secret and no mapping.',
      tags: ['calls'],
      security: [{ adminKey: [] }],
      responses: {
        200: {
          description: 'The routes, in the config’s order.',
          content: { 'application/json': RouteList },
        },
        400: problem('Any query parameter (`parameter` names it).', ['invalid_filter']),
        401: ADMIN_UNAUTHORIZED,
        500: INTERNAL_ERROR,
      },
    },
  },
  '/calls/{call_id}': {
    get: {
      operationId: 'getCall',
      summary: 'A call, with its timeline',
      ...onCall,
      responses: {
        200: {
          description: 'The call; the contact masked to its last 4 digits.',
          content: { 'application/json': CallDetail },
        },
        ...callRefusals,
      },
    },
  },
  '/calls/{call_id}/event': {
    get: {
      operationId: 'getCallEvent',
      summary: 'The event a call was made for, as received',
      description: `The payload of the event that created the call, kept beside the call (never in its record) for as long as the call is, masked before it was stored, at most ${KEPT_PAYLOAD_BYTES / 1024} KiB of JSON; and the fields the route’s expressions read. It never changes: read it once.`,
      ...onCall,
      responses: {
        200: {
          description: 'The event; `payload` is `null` where none was kept.',
          content: { 'application/json': CallEvent },
        },
        ...callRefusals,
      },
    },
  },
  '/calls/{call_id}/cancel': {
    post: {
      operationId: 'cancelCall',
      summary: 'Cancel a waiting call, or stop a ringing one',
      description:
        'A `queued` or `scheduled` call (a redial’s wait included) becomes `cancelled`: no call is made. A `placed` call’s attempt is stopped at the provider (`release.call`; a JAICP job’s `callJob/cancel`), unless its end was already notified, and the call becomes `cancelled` (the history says whether before it rang, while it rang, or after it had ended unanswered), or `completed`, released by the operator, if the provider had reported it answered; no redial follows. An attempt already over at the provider with no word of its end yet, on a route that redials, stays `placed` with its redials stopped, until its notification or report completes it. See docs/http-contract.md, What happens to a call.',
      ...onCall,
      responses: {
        200: {
          description:
            'The call, as it is now: `cancelled`, `completed` (an answered call released), or `placed` with its redials stopped.',
          content: { 'application/json': CallView },
        },
        ...callRefusals,
        409: problem(
          'The call is `dialing` (a dispatcher holds it), over (`completed`, `failed`, `unknown`, `cancelled`, `skipped`), or already ended at the provider with nothing left to stop; `call_status` says what it is.',
          ['not_cancellable'],
        ),
        502: problem(
          'Stopping a placed call: the provider did not confirm it. Nothing was changed; retry.',
          ['provider_unavailable'],
        ),
      },
    },
  },
  '/calls/{call_id}/retry': {
    post: {
      operationId: 'retryCall',
      summary: 'Send a failed or unknown call again',
      description:
        'The only way a `failed` or `unknown` call is sent again: a new attempt (`attempt` one more, its `dials` entry with `cause: "retry"`), placed with its own `external_id` (`<call id>-<attempt>`; a JAICP job’s `Idempotence-Key`), `queued` with a fresh allowance of tries. The call’s session, outcome and error are cleared; the earlier attempt keeps its own in `dials`, and what the provider says of it later stays there.',
      ...onCall,
      responses: {
        200: {
          description: 'The call, as it is now: `queued`, on its new attempt.',
          content: { 'application/json': CallView },
        },
        ...callRefusals,
        409: problem(
          'Only `failed` and `unknown` calls can be retried; `call_status` says what it is.',
          ['not_retryable'],
        ),
      },
    },
  },
  '/calls/{call_id}/again': {
    get: {
      operationId: 'previewCallAgain',
      summary: 'What calling a completed call again would do',
      description:
        'Changes nothing: whether the call may be made again, whether it talked, and the number’s calls of the last 24 hours as the per-number cap counts them (what the console’s confirmation names).',
      ...onCall,
      responses: {
        200: {
          description: 'The preview.',
          content: { 'application/json': CallAgainPreview },
        },
        ...callRefusals,
      },
    },
    post: {
      operationId: 'callAgain',
      summary: 'Call a completed call again',
      description:
        'One new attempt of a `completed` call that did not reach its customer: `queued` again with its own `external_id` (`<call id>-<attempt>`, its `dials` entry with `cause: "again"`), counted by the per-number cap, and with no redial after it. Refused after the sender’s cancel or the customer’s own call; refused for a call that talked unless the body says `{"confirm_talked": true}`.',
      ...onCall,
      requestBody: {
        required: false,
        content: {
          'application/json': {
            type: 'object',
            additionalProperties: false,
            properties: {
              confirm_talked: {
                type: 'boolean',
                default: false,
                description: 'Call again even though an attempt talked to the customer.',
              },
            },
          },
        },
      },
      responses: {
        200: {
          description: 'The call, as it is now: `queued`, on its new attempt.',
          content: { 'application/json': CallView },
        },
        400: badBody('An unknown field, or `confirm_talked` not a boolean'),
        ...callRefusals,
        409: problem(
          'Only a `completed` call that did not talk (or whose talk is confirmed), with no word from the sender or the customer that stops it, can be called again; `call_status` says what it is, `talked` whether it talked.',
          ['not_callable_again'],
        ),
        429: problem(
          'The number has had `per_number_daily_limit` calls in the last 24 hours; `Retry-After` says in how many seconds the oldest leaves that window.',
          ['contact_rate_limited'],
          {
            'Retry-After': {
              description: 'Seconds until the number has room for another call.',
              required: true,
              schema: { type: 'integer', minimum: 1 },
            },
          },
        ),
      },
    },
  },
  '/calls/{call_id}/abandon': {
    post: {
      operationId: 'abandonCall',
      summary: 'End the claim of a dispatcher that stopped',
      description:
        'For a `dialing` call whose dispatcher’s lease has expired: it becomes `unknown`, as the sweeper makes an expired lease (a JAICP call is `queued` again instead).',
      ...onCall,
      responses: {
        200: {
          description: 'The call, as it is now.',
          content: { 'application/json': CallView },
        },
        ...callRefusals,
        409: problem(
          'The call is not `dialing`, or its lease is still held (`lease_expires_at` says until when).',
          ['not_abandonable'],
        ),
      },
    },
  },
  '/figures': {
    get: {
      operationId: 'getFigures',
      summary: 'Per-route figures over the calls of the last hours',
      description:
        'Counts each route’s calls created in the window by what became of them, and how long they took from accepted to placed. The configured routes come first, in their order, even without a call. The figures read every call of the window, up to a cap: past it they cover its newest calls, and `complete` is `false`.',
      tags: ['calls'],
      security: [{ adminKey: [] }],
      parameters: [
        {
          name: 'hours',
          in: 'query',
          description: 'The window: the last this many hours.',
          schema: {
            type: 'integer',
            minimum: 1,
            maximum: MAX_FIGURES_HOURS,
            default: DEFAULT_FIGURES_HOURS,
          },
        },
      ],
      responses: {
        200: {
          description: 'The figures of each route.',
          content: { 'application/json': FiguresReport },
        },
        400: problem('An unknown parameter or a bad `hours` (`parameter` names which).', [
          'invalid_filter',
        ]),
        401: ADMIN_UNAUTHORIZED,
        500: INTERNAL_ERROR,
      },
    },
  },
};
