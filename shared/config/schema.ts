import { isSupportedCountry } from 'libphonenumber-js/max';
import { DateTime } from 'luxon';
import * as z from 'zod';
import { ACCOUNT_SCHEMAS, backendConfigOf, CALL_SCHEMAS } from '../backends/config-registry.ts';
import { MISSED_RESULTS } from '../calls/call-result.ts';
import { WEEKDAYS } from '../routes/calling-hours.ts';
import { ExpressionSource } from '../routes/expression-source.ts';
import { DEFAULT_COUNTRY, LANGUAGES } from '../routes/language.ts';
import { expandPreset } from '../routes/presets.ts';
import { isKnownTimeZone } from '../routes/zoned-time.ts';
import { SecretName } from '../secrets/secret-name.ts';
import { SenderAuth } from '../senders/auth-schemas.ts';
import { PRESET_NAMES, PRESETS } from '../senders/registry.ts';
import { withCancellersFilled } from './cancelling-routes.ts';
import { CONTACT_WINDOW_FIELDS, contactWindowIssues } from './contact-window-config.ts';
import { listed, nearest, suggestion } from './did-you-mean.ts';

const Country = z
  .string()
  .refine(isSupportedCountry, 'an ISO 3166-1 alpha-2 country code such as "RU"');

const Account = z.discriminatedUnion('backend', ACCOUNT_SCHEMAS);

/** A real calendar date: `Date.parse` would roll 2027-02-30 over into March. */
const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'a date "YYYY-MM-DD"', abort: true })
  .refine((text) => DateTime.fromISO(text).isValid, 'a date that exists, "YYYY-MM-DD"');

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time "HH:MM" (24 h)');

const CallingHours = z
  .strictObject({
    time_zone: z.string().refine(isKnownTimeZone, 'an IANA time zone such as "Europe/Moscow"'),
    days: z
      .array(z.enum(WEEKDAYS))
      .min(1)
      .default([...WEEKDAYS]),
    from: ClockTime,
    to: ClockTime,
    holidays: z
      .array(CalendarDate)
      .max(400)
      .optional()
      .describe(
        'Dates ("YYYY-MM-DD", in time_zone) on which the route does not call at all, such as public holidays; a call due then waits for the next working day.',
      ),
  })
  .refine((hours) => hours.from < hours.to, {
    message: '"from" must be earlier than "to" (a window cannot cross midnight)',
    path: ['to'],
  })
  .describe('When calls may ring; events outside wait as "scheduled" until the window opens.');

const Redial = z
  .strictObject({
    on: z
      .array(z.enum(MISSED_RESULTS))
      .min(1)
      .describe('The results the report gives that call for another attempt.'),
    max: z.number().int().min(1).max(5).describe('Redials at most, after the first attempt.'),
    after_minutes: z
      .number()
      .int()
      .min(1)
      .max(1440)
      .describe('Minutes after an attempt ended before the next one (within calling_hours).'),
  })
  .describe(
    "Call again when the provider's report says nobody answered; needs the account's data_api.",
  );

const Call = z.discriminatedUnion('method', CALL_SCHEMAS);

const RouteName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lowercase letters, digits and -');

const RouteFields = z
  .strictObject({
    preset: z
      .enum(PRESET_NAMES)
      .optional()
      .describe("A ready template for a sender; the route's own fields override it."),
    account: z.string(),
    auth: SenderAuth,
    default_country: Country.default(DEFAULT_COUNTRY),
    language: z
      .enum(LANGUAGES)
      .optional()
      .describe(
        "The language of the preset's message: default Russian where default_country is RU, KZ or BY, else English.",
      ),
    allowed_countries: z
      .array(Country)
      .min(1)
      .optional()
      .describe('Countries whose numbers may be called; default: only default_country.'),
    call: Call,
    idempotency_key: ExpressionSource.optional().describe(
      'JSONata giving the event\'s own id (e.g. "order_id"); an Idempotency-Key header the route accepts wins.',
    ),
    on_refusal: z
      .enum(['accept', 'reject'])
      .default('reject')
      .describe(
        'What the sender hears for an authentic event that must not ring (a number that cannot be called, a test delivery, a number at its cap): "accept" answers 200 "skipped", so a shop never switches its webhook off; "reject" answers the 4xx problem. Either way the event is recorded as skipped. The shop presets accept.',
      ),
    test_event: ExpressionSource.optional().describe(
      'JSONata that is true for the sender\'s own test deliveries (Shopify\'s "test": true); the presets set it.',
    ),
    test_events: z
      .enum(['skip', 'call'])
      .default('skip')
      .describe(
        '"skip" records test deliveries as skipped (test_event); "call" places them like any other.',
      ),
    event_time: ExpressionSource.optional().describe(
      'JSONata giving when the event happened (an ISO date, or epoch seconds); an event older than retention_days is ignored as "stale_event", since it can only be a replay.',
    ),
    idempotency_header: z
      .boolean()
      .optional()
      .describe(
        'Whether an Idempotency-Key header names the event. Default: yes where the sender cannot sign (token, none), no where it signs, since the header is not signed.',
      ),
    body_format: z
      .enum(['json', 'form'])
      .default('json')
      .describe(
        'How a signed route reads its body, whatever the (unsigned) Content-Type says. Routes with a token or no check follow the Content-Type.',
      ),
    condition: ExpressionSource.optional().describe(
      'JSONata; an event for which it is not true is answered 200 "ignored" and places no call.',
    ),
    max_message_length: z
      .number()
      .int()
      .min(1)
      .max(4000)
      .default(500)
      .describe('The longest text a TTS message built from a payload may have.'),
    max_attempts: z.number().int().min(1).max(20).default(5),
    calling_hours: CallingHours.optional(),
    redial: Redial.optional(),
    callback_url: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('Receives a POST, signed per Standard Webhooks, on every change of a call state.'),
    callback_secret: SecretName.optional().describe(
      'Secret holding the signing key for callback_url, "whsec_" followed by base64.',
    ),
    max_age_minutes: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('A call not placed this long after its event fails as "expired".'),
    keep_event: z
      .boolean()
      .default(true)
      .describe(
        "Whether ingest keeps each new call's event payload, masked and at most 4 KiB, for operators (GET /calls/{id}/event, the console). false keeps nothing of the payload: one DynamoDB write less a call.",
      ),
    ...CONTACT_WINDOW_FIELDS,
    example: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('A sample payload; the local runtime prints a ready curl with it.'),
    target: z
      .strictObject({
        talk_within_minutes: z
          .number()
          .int()
          .min(1)
          .max(1440)
          .describe("From the sender's event time (else acceptance) to the first answer."),
        alert_below: z
          .number()
          .min(0)
          .max(1)
          .default(0.8)
          .describe(
            'The alarm topic hears when the share of calls that met it over an hour falls below this.',
          ),
      })
      .optional()
      .describe('A speed-to-lead target: how soon a call should reach its customer.'),
    stop_when_customer_calls: z
      .boolean()
      .default(false)
      .describe(
        "Whether the customer ringing the account (the provider's inbound-call notification) stops this route's calls to that number: waiting ones are cancelled, ringing ones get no further attempt.",
      ),
    customer_call_window_minutes: z
      .number()
      .int()
      .min(1)
      .max(1440)
      .default(1440)
      .describe(
        'With stop_when_customer_calls: an inbound call stops the calls accepted this many minutes before it, at most a day.',
      ),
    cancels: RouteName.optional().describe(
      "Makes this a cancelling route: its event places no call, but cancels the call of the named route whose event has the same key (an order cancelled, refunded or deleted); give both the same idempotency_key. Its account and call are that route's.",
    ),
    escalate: z
      .strictObject({
        when: z
          .array(z.enum(MISSED_RESULTS))
          .min(1)
          .describe(
            "The last attempt's results (after every redial) that call for the escalation.",
          ),
        to: RouteName.describe(
          "The route whose call is made instead: another operator group, a JAICP voice bot. Its mapping reads this route's event; it rings the same number.",
        ),
      })
      .optional()
      .describe(
        "When nobody answered: one linked call on another route, within that route's calling hours and counted by the per-number cap.",
      ),
  })
  .describe('One webhook endpoint: POST /hooks/{name}.');

/**
 * A route as written: a named preset fills in what the route leaves out. A preset that does
 * not exist ends the route's check there, since every field it would have filled in is missing.
 */
const Route = z.preprocess((route, ctx) => {
  const preset =
    typeof route === 'object' && route !== null
      ? (route as Record<string, unknown>).preset
      : undefined;
  if (preset !== undefined && !(typeof preset === 'string' && Object.hasOwn(PRESETS, preset))) {
    ctx.addIssue({
      code: 'custom',
      path: ['preset'],
      input: preset,
      message:
        typeof preset === 'string'
          ? `unknown preset "${preset}"; ${suggestion(preset, PRESET_NAMES)}`
          : `a preset's name: one of ${listed(PRESET_NAMES)}`,
    });
  }
  return expandPreset(route);
}, RouteFields);

const nearAccount = (name: string, accounts: readonly string[]): string => {
  const near = nearest(name, accounts);
  return near === undefined ? '' : `; did you mean "${near}"?`;
};

/**
 * The config file's schema: what `npm start`, `config:check` and the CDK synth accept. Every
 * JSONata expression is compiled while validating; the functions read the parsed result, compiled
 * into their bundles at synth, and never run this schema.
 */
export const ConfigSchema = z.preprocess(
  withCancellersFilled,
  z
    .strictObject({
      $schema: z.string().optional(),
      accounts: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), Account),
      routes: z.record(RouteName, Route),
      per_number_daily_limit: z
        .number()
        .int()
        .min(1)
        .max(1000)
        .default(3)
        .describe('At most this many calls to one number in any 24 hours, across all routes.'),
      retention_days: z
        .number()
        .int()
        .min(1)
        .max(365)
        .default(30)
        .describe('How long call records (and so duplicate detection) are kept.'),
    })
    .superRefine((config, ctx) => {
      for (const issue of contactWindowIssues(config.routes, config.retention_days)) {
        ctx.addIssue({ code: 'custom', ...issue });
      }
      for (const [name, account] of Object.entries(config.accounts)) {
        for (const issue of backendConfigOf(account).accountIssues(account)) {
          ctx.addIssue({
            code: 'custom',
            path: ['accounts', name, ...issue.path],
            message: issue.message,
          });
        }
      }
      for (const [name, route] of Object.entries(config.routes)) {
        if (route.callback_url !== undefined && route.callback_secret === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['routes', name, 'callback_secret'],
            message: 'a route with "callback_url" needs "callback_secret" to sign its callbacks',
          });
        }
        if (route.cancels !== undefined && route.auth.type === 'browser') {
          ctx.addIssue({
            code: 'custom',
            path: ['routes', name, 'cancels'],
            message: 'a browser route cannot cancel calls: anyone can post its form',
          });
        }
        if (route.cancels !== undefined) {
          const target = config.routes[route.cancels];
          const problem =
            route.cancels === name
              ? 'a route cannot cancel its own calls'
              : target === undefined
                ? `no route named "${route.cancels}" in "routes"`
                : target.cancels !== undefined
                  ? `route "${route.cancels}" cancels calls itself: name the route that places them`
                  : undefined;
          if (problem !== undefined) {
            ctx.addIssue({ code: 'custom', path: ['routes', name, 'cancels'], message: problem });
          }
        } else if (route.preset !== undefined && PRESETS[route.preset].cancelling === true) {
          ctx.addIssue({
            code: 'custom',
            path: ['routes', name, 'cancels'],
            message: `preset "${route.preset}" cancels the calls of another route: name it in "cancels"`,
          });
        }
        if (route.escalate !== undefined) {
          const to = config.routes[route.escalate.to];
          const problem =
            route.escalate.to === name
              ? 'a route cannot escalate to itself'
              : to === undefined
                ? `no route named "${route.escalate.to}" in "routes"`
                : to.cancels !== undefined
                  ? `route "${route.escalate.to}" cancels calls: name a route that places them`
                  : route.cancels !== undefined
                    ? 'a cancelling route places no call to escalate'
                    : undefined;
          if (problem !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: ['routes', name, 'escalate', 'to'],
              message: problem,
            });
          }
        }
        const account = config.accounts[route.account];
        if (account === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['routes', name, 'account'],
            message: `no account named "${route.account}" in "accounts"${nearAccount(route.account, Object.keys(config.accounts))}`,
          });
        } else {
          // Each backend says what its accounts can do (its config in shared/backends/<name>).
          const backend = backendConfigOf(account);
          if (route.redial !== undefined) {
            const problem = backend.redialProblem(account, route.account);
            if (problem !== undefined) {
              ctx.addIssue({ code: 'custom', path: ['routes', name, 'redial'], message: problem });
            }
          }
          if (route.escalate !== undefined) {
            const problem = backend.resultProblem(account, route.account);
            if (problem !== undefined) {
              ctx.addIssue({
                code: 'custom',
                path: ['routes', name, 'escalate'],
                message: `escalate needs to know how the last attempt ended; ${problem}`,
              });
            }
          }
          const methods = backend.calls.map((call) => call.shape.method.value);
          if (!methods.includes(route.call.method)) {
            ctx.addIssue({
              code: 'custom',
              path: ['routes', name, 'call', 'method'],
              message: `account "${route.account}" is ${backend.label}: use ${methods.map((method) => `"${method}"`).join(' or ')}`,
            });
          }
        }
      }
    }),
);

export type CallhookConfig = z.infer<typeof ConfigSchema>;
export type RouteConfig = CallhookConfig['routes'][string];
export type AccountConfig = CallhookConfig['accounts'][string];
