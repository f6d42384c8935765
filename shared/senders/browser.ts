import { ProblemError } from '../http/problem-error.ts';
import type { RawRequest } from '../http/raw-request.ts';
import { parseJsonOrUndefined } from '../json/parse-json.ts';
import type { BrowserAuth } from './auth-schemas.ts';
import { askProvider, settleVerdict } from './captcha/verify-captcha.ts';
import { NOTHING_MORE, senderScheme } from './sender-scheme.ts';

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
export const browser = senderScheme<typeof BrowserAuth>()({
  type: 'browser',
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
