import { isSupportedCountry } from 'libphonenumber-js/max';
import { DateTime } from 'luxon';
import * as z from 'zod';
import { entryOf } from '../backends/registry.ts';
import {
  E164Digits,
  InformerCallParams,
  Message,
  SimpleCallParams,
} from '../callapi/call-params.ts';
import { PROVIDER_HOSTS } from '../callapi/providers.ts';
import { MISSED_RESULTS } from '../calls/call-result.ts';
import { isKnownTimeZone, WEEKDAYS } from '../dispatch/calling-hours.ts';
import { compileExpression } from '../routes/expression.ts';
import { DEFAULT_COUNTRY, LANGUAGES } from '../routes/language.ts';
import { expandPreset } from '../routes/presets.ts';
import { PRESET_NAMES, PRESETS, SenderAuth } from '../senders/registry.ts';
import * as mini from '../validation/zod.ts';
import { listed, nearest, suggestion } from './did-you-mean.ts';
import { SecretName } from './secret-name.ts';

/** A JSONata expression evaluated against the webhook's payload, compiled to check it. */
const ExpressionSource = z
  .string()
  .min(1)
  .superRefine((source, ctx) => {
    const compiled = compileExpression(source);
    if (!compiled.ok) ctx.addIssue({ code: 'custom', message: compiled.message });
  });

const Country = z
  .string()
  .refine(isSupportedCountry, 'an ISO 3166-1 alpha-2 country code such as "RU"');

const CallApiAccount = z.strictObject({
  backend: z.literal('callapi').default('callapi'),
  provider: z
    .enum([...(Object.keys(PROVIDER_HOSTS) as (keyof typeof PROVIDER_HOSTS)[]), 'simulator'])
    .optional()
    .describe('A provider preset; "simulator" is the local runtime\'s built-in Call API.'),
  base_url: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('Overrides the preset host.'),
  api_version: z
    .string()
    .regex(/^v\d+\.\d+$/)
    .default('v4.0'),
  secret: SecretName.describe(
    'Secret holding {"access_token": "..."} (a permanent key) or {"login": "...", "password": "..."} (sessions).',
  ),
  // The Call API's own schemas use Zod Mini (see validation/zod.ts), hence `mini` around them.
  virtual_phone_number: E164Digits.check(
    mini.describe('The caller id: a virtual number the account rents.'),
  ),
  events_secret: SecretName.optional().describe(
    'Secret holding the token the provider sends with its notifications to POST /events/{account}.',
  ),
  points_per_call: z
    .number()
    .int()
    .min(1)
    .default(1)
    .describe("What one call request costs in Call API points (the tariff's method weight)."),
  data_api: z
    .strictObject({
      secret: SecretName.describe(
        'Secret holding {"access_token": "..."}: a Data API key, issued apart from the Call API key.',
      ),
      base_url: z
        .url({ protocol: /^https?$/ })
        .optional()
        .describe("Overrides the provider's Data API host (required with the account's base_url)."),
    })
    .optional()
    .describe(
      'The Data API of the same account: the sweeper reads how each call ended (get.calls_report, get.call_legs_report), which redials need.',
    ),
});

const JaicpAccount = z
  .strictObject({
    backend: z.literal('jaicp'),
    provider: z
      .literal('simulator')
      .optional()
      .describe("The local runtime's built-in JAICP simulator."),
    base_url: z
      .url({ protocol: /^https?$/ })
      .default('https://app.jaicp.com')
      .describe('The JAICP host: app.jaicp.com or a self-hosted one.'),
    secret: SecretName.describe("Secret holding the call campaign's API token."),
  })
  .describe('A JAICP call campaign: a voice bot makes the calls.');

const Account = z.discriminatedUnion('backend', [CallApiAccount, JaicpAccount]);

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

const MessageTemplate = z.strictObject({
  type: Message.shape.type,
  value: ExpressionSource.describe('JSONata building the text (tts) or media id from the payload.'),
});

const callBase = {
  contact: ExpressionSource.describe('JSONata giving the phone to call, e.g. "phone".'),
  contact_message: MessageTemplate.optional(),
};

const JaicpCall = z.strictObject({
  method: z.literal('jaicp.addPhones'),
  contact: callBase.contact,
  payload: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/), ExpressionSource)
    .optional()
    .describe('Variables for the bot script: name → JSONata over the webhook payload.'),
  params: z
    .strictObject({
      maxAttempts: z.number().int().min(1).max(20).optional(),
      retryIntervalInMinutes: z.number().int().min(1).optional(),
      dialerPriority: z.number().int().optional(),
    })
    .default({})
    .describe("JAICP's own retry policy for the call job."),
});

const Call = z.discriminatedUnion('method', [
  JaicpCall,
  z.strictObject({
    method: z.literal('start.simple_call'),
    ...callBase,
    params: mini.extend(
      mini.omit(SimpleCallParams, {
        contact: true,
        contact_message: true,
        external_id: true,
        virtual_phone_number: true,
      }),
      { virtual_phone_number: mini.optional(E164Digits) },
    ),
  }),
  z.strictObject({
    method: z.literal('start.informer_call'),
    ...callBase,
    contact_message: MessageTemplate,
    params: mini._default(
      mini.extend(
        mini.omit(InformerCallParams, {
          contact: true,
          contact_message: true,
          external_id: true,
          virtual_phone_number: true,
        }),
        { virtual_phone_number: mini.optional(E164Digits) },
      ),
      {},
    ),
  }),
]);

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
    example: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('A sample payload; the local runtime prints a ready curl with it.'),
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
export const ConfigSchema = z
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
    for (const [name, account] of Object.entries(config.accounts)) {
      if (
        account.backend === 'callapi' &&
        account.provider === undefined &&
        account.base_url === undefined
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['accounts', name],
          message: 'set "provider" (callgear, uis, comagic, novofon, simulator) or "base_url"',
        });
      }
      if (
        account.backend === 'callapi' &&
        account.data_api !== undefined &&
        account.data_api.base_url === undefined &&
        account.provider === undefined
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['accounts', name, 'data_api', 'base_url'],
          message: 'the Data API host cannot be told from the Call API\'s "base_url": set it here',
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
      const account = config.accounts[route.account];
      if (account === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['routes', name, 'account'],
          message: `no account named "${route.account}" in "accounts"${nearAccount(route.account, Object.keys(config.accounts))}`,
        });
      } else {
        if (route.redial !== undefined) {
          const problem =
            account.backend !== 'callapi'
              ? 'a JAICP campaign redials by itself: set call.params.maxAttempts instead'
              : account.data_api === undefined
                ? `only the Data API says how a call ended: give account "${route.account}" a "data_api"`
                : undefined;
          if (problem !== undefined) {
            ctx.addIssue({ code: 'custom', path: ['routes', name, 'redial'], message: problem });
          }
        }
        // Each backend places its own methods only (its entry in shared/backends/registry.ts).
        const backend = entryOf(account);
        if (!backend.methods.includes(route.call.method)) {
          ctx.addIssue({
            code: 'custom',
            path: ['routes', name, 'call', 'method'],
            message: `account "${route.account}" is ${backend.label}: use ${backend.methods.map((method) => `"${method}"`).join(' or ')}`,
          });
        }
      }
    }
  });

export type CallhookConfig = z.infer<typeof ConfigSchema>;
export type RouteConfig = CallhookConfig['routes'][string];
export type AccountConfig = CallhookConfig['accounts'][string];
export type CallApiAccountConfig = Extract<AccountConfig, { backend: 'callapi' }>;
export type JaicpAccountConfig = Extract<AccountConfig, { backend: 'jaicp' }>;
