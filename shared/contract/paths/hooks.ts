import { PROBLEMS } from '../../http/problem-error.ts';
import { MAX_BODY_BYTES } from '../../http/raw-request.ts';
import { type SkipReason, skipReasons } from '../../ingest/guardrails/registry.ts';
import { CALL_ID_PATTERN } from '../admin-schemas.ts';
import {
  HookAccepted,
  HookCancelRecorded,
  HookDuplicate,
  HookIgnored,
  HookSkipped,
  InboundCallEvent,
  ProviderEvent,
  ProviderEventCustomerCalledIn,
  ProviderEventIgnored,
  ProviderEventRecorded,
} from '../hook-schemas.ts';
import { type CodesWith, type PathItem, problem } from '../operations.ts';
import { INTERNAL_ERROR } from './components.ts';

/** The hooks: a sender's webhook (`POST /hooks/{route}`) and a provider's notification. */

const BODY_LIMIT = `${MAX_BODY_BYTES / 1024} KiB`;

/** The skip reasons a `reject` route keeps as `skipped` and answers `status`, from the guardrails. */
const rejectedWith = <S extends 409 | 422>(status: S) =>
  skipReasons()
    .filter(({ keptOnReject }) => keptOnReject)
    .map(({ code }) => code)
    .filter((code): code is SkipReason & CodesWith<S> => PROBLEMS[code].status === status);

const UNSUPPORTED_MEDIA_TYPE = problem(
  'A body without a JSON or form `Content-Type`, or a charset other than UTF-8.',
  ['unsupported_media_type'],
);

/** The path's `{route}`. */
const ROUTE_PARAMETER = {
  name: 'route',
  in: 'path',
  required: true,
  description: 'The route’s name in the config.',
  schema: { type: 'string' },
} as const;

export const HOOK_PATH: PathItem = {
  get: {
    operationId: 'getHook',
    summary: 'Not a webhook: a webhook is a POST',
    description:
      'A browser or a sender set up with the wrong method: answered `405` with `Allow: POST`, so the mistake names itself. Nothing is read or recorded.',
    tags: ['hooks'],
    security: [{}],
    parameters: [ROUTE_PARAMETER],
    responses: {
      405: problem('Always: send the webhook as a POST.', ['method_not_allowed'], {
        Allow: {
          description: 'The methods the path takes: `POST`.',
          required: true,
          schema: { type: 'string', const: 'POST' },
        },
      }),
    },
  },
  post: {
    operationId: 'postHook',
    summary: 'Deliver a webhook: one event, at most one call',
    description:
      'The route (from the config) names how the sender authenticates (a signature scheme checked on the raw body, or a shared token in `X-Callhook-Token` or `?token=`), how the payload maps to a call, and the guardrails. Every delivery of one event maps to one call id: a repeat answers `200` with `"duplicate": true`. An authentic event that must not ring is kept as `skipped`; on an `on_refusal: "accept"` route it is answered `200 "skipped"`, on a `reject` route with its 4xx problem.',
    tags: ['hooks'],
    security: [{}, { hookToken: [] }, { hookTokenQuery: [] }],
    parameters: [
      ROUTE_PARAMETER,
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description:
          'Names the event, where the route accepts it (by default on `token` and `none` routes only: the header is not signed).',
        schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7e]+$' },
      },
    ],
    requestBody: {
      required: false,
      description: `A JSON object or a form, UTF-8, up to ${BODY_LIMIT}. On \`token\` and \`none\` routes query parameters count as fields too (the body’s win); a signed route reads only its signed body, as its \`body_format\`.`,
      content: {
        'application/json': { type: 'object' },
        'application/x-www-form-urlencoded': {
          type: 'object',
          additionalProperties: { type: 'string' },
        },
      },
    },
    responses: {
      200: {
        description:
          'A repeat of an event already accepted (`"duplicate": true`), an authentic event kept as `skipped` on an `accept` route, an event that asks for no call (`"status": "ignored"`: the route’s condition is false, a sender’s handshake, a stale event, a cancelling route’s test delivery), or a cancelling route’s event (`"status": "cancel_recorded"`); nothing new is queued.',
        content: {
          'application/json': {
            oneOf: [HookDuplicate, HookSkipped, HookIgnored, HookCancelRecorded],
          },
        },
      },
      202: {
        description: 'A new call, queued (or scheduled outside the route’s calling hours).',
        headers: {
          Location: {
            description: 'The call, for `GET` with the admin key.',
            required: true,
            schema: { type: 'string', pattern: `^/calls/${CALL_ID_PATTERN.source.slice(1)}` },
          },
        },
        content: { 'application/json': HookAccepted },
      },
      400: problem(
        'The body is not a UTF-8 JSON object, or the `Idempotency-Key` is not 1 to 255 printable ASCII characters.',
        ['malformed_body', 'invalid_idempotency_key'],
      ),
      401: problem(
        'The signature, signature header or token is missing (`unauthorized`) or wrong, or its timestamp is outside the tolerance (`invalid_signature`).',
        ['unauthorized', 'invalid_signature'],
      ),
      403: problem(
        'A browser route (`"type": "browser"`): the page’s `Origin` is not one of the route’s sites (`origin_not_allowed`, answered without CORS headers), or its CAPTCHA token is missing, wrong, used or solved on another site (`captcha_failed`).',
        ['origin_not_allowed', 'captcha_failed'],
      ),
      404: problem('No route of that name in the config.', ['unknown_route']),
      409: problem(
        'The event’s key was already used for a different call (another phone or message; `idempotency_conflict`, `call_id` names it), or, on a `reject` route, the event is kept as `skipped` because a route of its group had an event for the number within the contact window (`duplicate_contact`, `duplicate_of` names that call), or because the sender cancelled the event’s call before the event came (`cancelled_by_sender`, `call_id` names it).',
        ['idempotency_conflict', ...rejectedWith(409)],
      ),
      413: problem(`The body is over ${BODY_LIMIT}.`, ['payload_too_large']),
      415: UNSUPPORTED_MEDIA_TYPE,
      422: problem(
        'The event cannot or must not ring (on a `reject` route; an authentic one is kept as `skipped`), or a browser route that requires consent got a form without it (`consent_required`).',
        [...rejectedWith(422), 'consent_required'],
      ),
      429: problem(
        'The number already had `per_number_daily_limit` calls in the last 24 hours (on a `reject` route; `contact_rate_limited`), or a browser route’s form came too often from one client address or for one number (`rate_limited`).',
        ['contact_rate_limited', 'rate_limited'],
        {
          'Retry-After': {
            description:
              'Seconds until the oldest of those calls leaves the 24-hour window. (Absent only on a repeat of an event kept as skipped while the route said `accept`.)',
            required: false,
            schema: { type: 'integer', minimum: 0 },
          },
        },
      ),
      500: INTERNAL_ERROR,
      503: problem(
        'A browser route’s CAPTCHA could not be checked (the provider failed or refused callhook’s key): nothing was done; try again after `Retry-After`.',
        ['captcha_unavailable'],
        {
          'Retry-After': {
            description: 'Seconds before trying again.',
            required: true,
            schema: { type: 'integer', minimum: 1 },
          },
        },
      ),
    },
  },
  options: {
    operationId: 'preflightHook',
    summary: 'A browser’s CORS preflight of a browser route’s form',
    description:
      'Answered `204` with `Access-Control-Allow-Origin` for a page on one of the route’s `origins` asking to `POST`; any other origin, method or route kind is `403 origin_not_allowed` without CORS headers, so the browser never sends the form.',
    tags: ['hooks', 'widget'],
    security: [{}],
    parameters: [ROUTE_PARAMETER],
    responses: {
      204: {
        description: 'The page may post the form.',
        headers: {
          'Access-Control-Allow-Origin': {
            description: 'The page’s origin, one of the route’s.',
            required: true,
            schema: { type: 'string' },
          },
          'Access-Control-Allow-Methods': { required: true, schema: { const: 'POST' } },
        },
      },
      403: problem('Not one of the route’s sites, or not a POST.', ['origin_not_allowed']),
      404: problem('No route of that name in the config.', ['unknown_route']),
      500: INTERNAL_ERROR,
    },
  },
};

/** `GET /hooks/{route}/form`: what the widget shows, and nothing else (`FormSettings`). */
export const FORM_SETTINGS_PATH: PathItem = {
  get: {
    operationId: 'getFormSettings',
    summary: 'A browser route’s public form settings: open now, or when it next opens',
    description:
      'Public and cacheable (a minute): whether the route calls now from its `calling_hours`, and if not when it next opens (in its time zone), its language, its CAPTCHA’s public site key and script, and whether it asks consent. Nothing else: no number, account or secret. Readable by pages on the route’s `origins` (CORS).',
    tags: ['widget'],
    security: [{}],
    parameters: [
      {
        name: 'route',
        in: 'path',
        required: true,
        description: 'A browser route’s name; any other is `404 unknown_route`.',
        schema: { type: 'string' },
      },
    ],
    responses: {
      200: {
        description: 'The settings.',
        content: {
          'application/json': {
            type: 'object',
            required: ['open', 'language', 'captcha', 'consent'],
            additionalProperties: false,
            properties: {
              open: { type: 'boolean' },
              opens_at: { type: 'string', format: 'date-time' },
              opens_local: {
                type: 'object',
                required: ['time', 'in_days', 'weekday'],
                additionalProperties: false,
                properties: {
                  time: { type: 'string', pattern: '^\\d{2}:\\d{2}$' },
                  in_days: { type: 'integer', minimum: 0 },
                  weekday: { enum: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
                },
              },
              language: { enum: ['ru', 'en'] },
              captcha: {
                type: 'object',
                required: ['provider', 'site_key', 'script_url'],
                additionalProperties: false,
                properties: {
                  provider: { enum: ['yandex-smartcaptcha', 'turnstile', 'hcaptcha'] },
                  site_key: { type: 'string' },
                  script_url: { type: 'string', format: 'uri' },
                },
              },
              consent: {
                oneOf: [
                  { type: 'null' },
                  {
                    type: 'object',
                    required: ['required', 'text_version'],
                    additionalProperties: false,
                    properties: {
                      required: { type: 'boolean' },
                      text_version: { type: 'string' },
                    },
                  },
                ],
              },
            },
          },
        },
      },
      404: problem('No browser route of that name.', ['unknown_route']),
      500: INTERNAL_ERROR,
    },
  },
};

export const EVENTS_PATH: PathItem = {
  post: {
    operationId: 'postProviderEvent',
    summary: 'A provider’s notification about a call it placed',
    description:
      'Sent by the provider’s notification template (see docs/operating.md, Provider notifications) with the account’s events token. An event is matched to the attempt its `external_id` names (the call id, or `<call id>-<attempt>`), whose session must be its `call_session_id` where callhook knows it; one without `external_id` by its `call_session_id`, to the current attempt of the call that holds it. An event about the current attempt moves the call (`answered`: `placed`; `ended`: `completed`, or still `placed` while the report decides a redial); one about an earlier attempt, or a call already over, is written on that attempt and moves nothing; a repeat of what the attempt already knows writes nothing. All of these are answered `recorded`; an event for a call callhook did not place is acknowledged as `ignored`. An `inbound` event (the customer rang the account) stops the calls to that number on routes with `stop_when_customer_calls`, and answers `customer_called_in` with them.',
    tags: ['events'],
    security: [{ eventsToken: [] }, { eventsTokenQuery: [] }],
    parameters: [
      {
        name: 'account',
        in: 'path',
        required: true,
        description: 'The account’s name in the config; it must have an `events_secret`.',
        schema: { type: 'string' },
      },
    ],
    requestBody: {
      required: true,
      content: {
        'application/json': { oneOf: [ProviderEvent, InboundCallEvent] },
        'application/x-www-form-urlencoded': { oneOf: [ProviderEvent, InboundCallEvent] },
      },
    },
    responses: {
      200: {
        description:
          'The event was recorded on its call’s attempt (a repeat, and a late word about an earlier attempt, too), or ignored; an inbound call, with the calls it stopped.',
        content: {
          'application/json': {
            oneOf: [ProviderEventRecorded, ProviderEventIgnored, ProviderEventCustomerCalledIn],
          },
        },
      },
      400: problem('The body is not a UTF-8 JSON object.', ['malformed_body']),
      401: problem('The events token is missing (`unauthorized`) or wrong (`invalid_signature`).', [
        'unauthorized',
        'invalid_signature',
      ]),
      404: problem('No account of that name with an `events_secret`.', ['unknown_account']),
      413: problem(`The body is over ${BODY_LIMIT}.`, ['payload_too_large']),
      415: UNSUPPORTED_MEDIA_TYPE,
      422: problem('The event does not match the template.', ['invalid_payload']),
      500: INTERNAL_ERROR,
    },
  },
};
