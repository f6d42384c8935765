import { randomUUID } from 'node:crypto';
import type { KeySource } from '../calls/idempotency.ts';
import type { RouteConfig } from '../config/schema.ts';
import type { RateLimit, RateWindowStore } from '../guardrails/rate-window.ts';
import { ProblemError } from '../http/problem-error.ts';
import type { RawRequest } from '../http/raw-request.ts';
import { callablePhone } from '../routes/phone.ts';
import type { PhoneNumbering } from '../routes/phone-numbering.ts';
import type { SenderAuthOf } from '../senders/auth-schemas.ts';
import { allowedOrigin } from '../senders/browser.ts';
import type { EventContext } from './event-context.ts';

/** A browser route's `auth`. */
export type BrowserAuth = SenderAuthOf<'browser'>;

/** The store, or a fault (a 500 that places no call): a browser route never runs unlimited. */
export const rateWindowsOf = (deps: { rateWindows?: RateWindowStore }): RateWindowStore => {
  if (deps.rateWindows === undefined)
    throw new Error('a browser route needs the rate windows store');
  return deps.rateWindows;
};

/** What a call placed from a form keeps of the visitor's consent. */
export interface FormConsent {
  given: true;
  at: string;
  text_version: string;
}

/** The id the widget makes for one form (a UUID): printable, no separators of ours. */
const REQUEST_ID = /^[A-Za-z0-9_-]{8,128}$/;

const limitOf = (window: { max: number; minutes: number }): RateLimit => ({
  max: window.max,
  windowMs: window.minutes * 60_000,
});

const rateLimited = (retryAfterMs: number, what: string): ProblemError => {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ProblemError(
    'rate_limited',
    `Too many requests ${what}; try again in ${seconds} seconds.`,
    {},
    { headers: { 'retry-after': String(seconds) } },
  );
};

/**
 * Before a browser form's CAPTCHA is checked (each check is a request to the provider, and
 * some providers bill it): a listed `Origin`, then room in the window of the client's address.
 * The address is the network's (`sourceIp`), never a header a client can write; every request
 * counts, so a client that fails the CAPTCHA runs out of tries like any other.
 */
export const admitFormClient = async (
  rateWindows: RateWindowStore,
  routeName: string,
  auth: BrowserAuth,
  request: RawRequest,
  now: Date,
): Promise<void> => {
  allowedOrigin(request, auth.origins);
  const decision = await rateWindows.admit(
    `ip#${routeName}`,
    request.sourceIp ?? 'unknown',
    randomUUID(),
    now,
    limitOf(auth.limits.per_ip),
  );
  if (!decision.admitted) throw rateLimited(decision.retryAfterMs, 'from this address');
};

/** The number a form asks to call, as the guardrails will parse it, or its digits if it will not parse. */
const numberOf = (
  route: RouteConfig,
  numbering: PhoneNumbering,
  contact: unknown,
): string | undefined => {
  try {
    return callablePhone(contact, {
      defaultCountry: route.default_country,
      allowedCountries: route.allowed_countries ?? [route.default_country],
      numbering,
    });
  } catch {
    return typeof contact === 'string' ? contact.replace(/\D/g, '') || undefined : undefined;
  }
};

/**
 * A form's event key: the widget's own request id with the number it asks to call. A double
 * submit or a reload of one form is one call; another number under the same id is another
 * call; and a page that learnt someone's id can only repeat that call (a duplicate), never
 * change it (another message would be `idempotency_conflict`) nor cancel it (a browser route
 * cancels nothing).
 */
export const formEventKey = (
  route: RouteConfig,
  numbering: PhoneNumbering,
  event: EventContext,
): { source: KeySource; key: string } => {
  const requestId = (event.payload as Record<string, unknown>).request_id;
  if (typeof requestId !== 'string' || !REQUEST_ID.test(requestId)) {
    throw new ProblemError(
      'invalid_idempotency_key',
      'A form needs "request_id": 8 to 128 letters, digits, "-" or "_", made once per form.',
    );
  }
  return {
    source: 'form',
    key: `${requestId}:${numberOf(route, numbering, event.rawContact) ?? ''}`,
  };
};

/**
 * After the CAPTCHA: the consent the route requires, then room in the number's window. The
 * number's window counts calls (one entry per call id), so a repeat of one form is free.
 * Returns the consent to keep on the call.
 */
export const admitFormNumber = async (
  rateWindows: RateWindowStore,
  fields: {
    routeName: string;
    route: RouteConfig;
    auth: BrowserAuth;
    numbering: PhoneNumbering;
    event: EventContext;
    callId: string;
    now: Date;
  },
): Promise<FormConsent | undefined> => {
  const { auth, event, now } = fields;
  const given = (event.payload as Record<string, unknown>).consent === true;
  if (auth.consent?.required === true && !given) {
    throw new ProblemError(
      'consent_required',
      'This form calls only with the visitor\'s consent: send "consent": true.',
    );
  }
  const number = numberOf(fields.route, fields.numbering, event.rawContact);
  // No number: the guardrails refuse the form as `invalid_phone` next.
  if (number !== undefined) {
    const decision = await rateWindows.admit(
      `number#${fields.routeName}`,
      number,
      fields.callId,
      now,
      limitOf(auth.limits.per_number),
    );
    if (!decision.admitted) throw rateLimited(decision.retryAfterMs, 'for this number');
  }
  return auth.consent !== undefined && given
    ? { given: true, at: now.toISOString(), text_version: auth.consent.text_version }
    : undefined;
};
