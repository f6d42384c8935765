/** What a provider's verify endpoint said about one token. */
export type CaptchaVerdict =
  /** Solved by a person; `host` is the site it was solved on, where the provider says. */
  | { kind: 'passed'; host?: string }
  /** The token is missing, wrong, expired or used already: the visitor must solve it again. */
  | { kind: 'refused'; reason: string }
  /**
   * The check could not be made (the provider failed, or refused callhook's own secret key):
   * the request is refused, never called, and may be sent again later.
   */
  | { kind: 'unavailable'; reason: string };

/** The request a provider's verify endpoint takes. */
export interface VerifyRequest {
  contentType: 'application/x-www-form-urlencoded';
  body: string;
}

export interface VerifyInput {
  secret: string;
  token: string;
  /** The visitor's address, as API Gateway (or the local socket) saw it. */
  remoteIp?: string | undefined;
  siteKey: string;
}

/** One CAPTCHA provider, as its documentation describes its server-side check. */
export interface CaptchaProvider {
  /** The documented verify endpoint. */
  readonly verifyUrl: string;
  /** The script a page loads to show the CAPTCHA (the widget's only third-party request). */
  readonly scriptUrl: string;
  /** Where the provider's dashboard hands out the keys, for the docs and messages. */
  readonly keysAt: string;
  readonly request: (input: VerifyInput) => VerifyRequest;
  /** Reads the endpoint's answer (its HTTP status and parsed JSON body). */
  readonly read: (status: number, body: unknown) => CaptchaVerdict;
}

export const form = (fields: Record<string, string | undefined>): VerifyRequest => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined && value !== '') params.set(name, value);
  }
  return { contentType: 'application/x-www-form-urlencoded', body: params.toString() };
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The reCAPTCHA-style answer Turnstile and hCaptcha share: `{"success", "error-codes",
 * "hostname"}`. `ours` are the codes that blame callhook's request or secret, not the token:
 * those fail closed as unavailable, and so does any answer that is not a 200 with that shape.
 */
export const readSiteverify =
  (ours: readonly string[]) =>
  (status: number, body: unknown): CaptchaVerdict => {
    if (status !== 200 || !isRecord(body) || typeof body.success !== 'boolean') {
      return { kind: 'unavailable', reason: `verify answered HTTP ${status}` };
    }
    const codes = Array.isArray(body['error-codes'])
      ? body['error-codes'].filter((code): code is string => typeof code === 'string')
      : [];
    if (body.success) {
      return typeof body.hostname === 'string' && body.hostname !== ''
        ? { kind: 'passed', host: body.hostname }
        : { kind: 'passed' };
    }
    const blamesUs = codes.find((code) => ours.includes(code));
    if (blamesUs !== undefined) return { kind: 'unavailable', reason: blamesUs };
    return { kind: 'refused', reason: codes.join(', ') || 'not passed' };
  };

export const isCaptchaRecord = isRecord;
