import { DEFAULT_FIGURES_HOURS, MAX_FIGURES_HOURS } from '../../calls/call-figures.ts';
import { DEFAULT_LIST_LIMIT, MAX_KEY_LENGTH, MAX_LIST_LIMIT } from '../../calls/call-list.ts';
import { CALL_STATUSES } from '../../calls/call-status.ts';
import { CallDetail, CallList, CallView, FiguresReport } from '../admin-schemas.ts';
import { type Operation, type PathItem, problem } from '../operations.ts';
import {
  ADMIN_UNAUTHORIZED,
  CALL_ID_PARAMETER,
  CALL_NOT_FOUND,
  INTERNAL_ERROR,
} from './components.ts';

/** The admin endpoints: the calls, an operator's actions on one, and the figures. */

const STATUS = `(${CALL_STATUSES.join('|')})`;

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
