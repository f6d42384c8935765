import * as z from 'zod';
import { ProblemError } from '../http/problem-error.ts';
import type { RawRequest } from '../http/raw-request.ts';
import { parseJsonOrUndefined } from '../json/parse-json.ts';
import { SecretName } from '../secrets/secret-name.ts';
import { CAPTCHA_PROVIDER_NAMES } from './captcha/provider-names.ts';
import { askProvider, settleVerdict } from './captcha/verify-captcha.ts';
import { NOTHING_MORE, senderScheme } from './sender-scheme.ts';

/** `https://shop.example` or `http://127.0.0.1:8080`: a scheme, a host, a port, nothing more. */
const Origin = z.string().refine((text) => {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === text;
  } catch {
    return false;
  }
}, 'an origin such as "https://shop.example": scheme and host (and port), no path or trailing slash');

const Window = (max: number, minutes: number) =>
  z
    .strictObject({
      max: z.number().int().min(1).max(1000),
      minutes: z.number().int().min(1).max(1440),
    })
    .default({ max, minutes });

/** The longest CAPTCHA token read (Turnstile documents 2,048 characters). */
const MAX_TOKEN_LENGTH = 4096;

/**
 * The `Origin` of a request from one of the route's sites, or `origin_not_allowed`. Browsers
 * set the header themselves on every cross-origin request and every POST; a script elsewhere
 * can forge it, which is why the CAPTCHA and the limits follow.
 */
export const allowedOrigin = (request: RawRequest, origins: readonly string[]): string => {
  const origin = request.headers.origin;
  if (origin !== undefined && origins.includes(origin)) return origin;
  throw new ProblemError(
    'origin_not_allowed',
    origin === undefined
      ? 'This route takes forms from its own sites only, and the request names none (no Origin header).'
      : 'This route does not take forms from that site.',
  );
};

/** The CAPTCHA token of a form's JSON body (`captcha_token`), or `captcha_failed`. */
const captchaTokenOf = (request: RawRequest): string => {
  const body = parseJsonOrUndefined(request.body.toString('utf8'));
  const token =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>).captcha_token
      : undefined;
  if (typeof token !== 'string' || token === '' || token.length > MAX_TOKEN_LENGTH) {
    throw new ProblemError('captcha_failed', 'The form carries no CAPTCHA token: solve it first.');
  }
  return token;
};

/**
 * For a "call me back" form on the shop's own site: no secret in the page. A request must come
 * from one of the route's sites (`Origin`) with a CAPTCHA token the provider confirms, checked
 * here with the provider's secret key; ingest adds the limits per client address and per number
 * (`shared/ingest/browser-form.ts`).
 */
export const browser = senderScheme({
  auth: z
    .strictObject({
      type: z.literal('browser'),
      origins: z
        .array(Origin)
        .min(1)
        .max(20)
        .describe('The sites whose pages may post the form; every other origin is refused.'),
      secret: SecretName.describe(
        "Secret holding the CAPTCHA provider's secret (server) key; the site key is public.",
      ),
      captcha: z
        .strictObject({
          provider: z.enum(CAPTCHA_PROVIDER_NAMES),
          site_key: z
            .string()
            .regex(/^[\x21-\x7e]{1,200}$/, 'the site key the provider gave, printable ASCII'),
          verify_url: z
            .url({ protocol: /^https?$/ })
            .optional()
            .describe("The provider's verify endpoint; default the documented one."),
          script_url: z
            .url({ protocol: /^https?$/ })
            .optional()
            .describe("The provider's script the widget loads; default the documented one."),
        })
        .describe('The CAPTCHA the form shows, checked server-side before anything else.'),
      consent: z
        .strictObject({
          required: z.boolean().default(true),
          text_version: z
            .string()
            .regex(/^[\x20-\x7e]{1,64}$/)
            .describe('Which consent text the page shows; kept on each call.'),
        })
        .optional()
        .describe('Consent to the processing of personal data, kept on the call when given.'),
      limits: z
        .strictObject({
          per_ip: Window(5, 60).describe('Forms from one client address in a sliding window.'),
          per_number: Window(2, 60).describe('Forms for one phone number in a sliding window.'),
        })
        .default({ per_ip: { max: 5, minutes: 60 }, per_number: { max: 2, minutes: 60 } }),
    })
    .describe(
      'A form on your own site: allowed origins, a CAPTCHA, limits per client and per number.',
    ),
  secret: 'token',
  signs: false,
  verify: async (request, auth, secret) => {
    allowedOrigin(request, auth.origins);
    const token = captchaTokenOf(request);
    settleVerdict(await askProvider(auth.captcha, secret, token, request.sourceIp), auth.origins);
    return NOTHING_MORE;
  },
  // Nothing can be signed: a form needs a person to solve its CAPTCHA.
  sign: (body, auth) => ({ headers: { origin: auth.origins[0] ?? '' }, body }),
  presets: {
    'callback-form': {
      route: {
        auth: { type: 'browser' },
        call: {
          method: 'start.simple_call',
          contact: 'phone',
          // The operator is rung first: a prank costs an operator's ring, not a customer leg.
          params: { first_call: 'operator' },
        },
        on_refusal: 'reject',
      },
      sample: ({ phone, now }) => ({
        format: 'json',
        fields: { request_id: `sample-${now.getTime()}`, phone, consent: true },
      }),
    },
  },
});
