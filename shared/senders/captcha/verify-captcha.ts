import { ProblemError } from '../../http/problem-error.ts';
import type { CaptchaVerdict } from './captcha-provider.ts';
import type { CaptchaProviderName } from './provider-names.ts';
import { CAPTCHA_PROVIDERS } from './registry.ts';

/** A route's CAPTCHA settings (`auth.captcha`). */
export interface CaptchaSettings {
  provider: CaptchaProviderName;
  site_key: string;
  verify_url?: string | undefined;
}

/** The provider's check must answer within this, or the form is refused as unavailable. */
const VERIFY_TIMEOUT_MS = 5_000;

/** How soon a visitor refused for an unavailable check may try again. */
export const CAPTCHA_RETRY_AFTER_SECONDS = 30;

/**
 * Asks the provider's verify endpoint about one token. Fails closed: a network error, a
 * timeout, an HTTP error or an answer of another shape is `unavailable`, never a pass.
 */
export const askProvider = async (
  settings: CaptchaSettings,
  secret: string,
  token: string,
  remoteIp: string | undefined,
): Promise<CaptchaVerdict> => {
  const provider = CAPTCHA_PROVIDERS[settings.provider];
  const request = provider.request({ secret, token, remoteIp, siteKey: settings.site_key });
  let status: number;
  let body: unknown;
  try {
    const reply = await fetch(settings.verify_url ?? provider.verifyUrl, {
      method: 'POST',
      headers: { 'content-type': request.contentType },
      body: request.body,
      redirect: 'error',
      signal: AbortSignal.timeout(VERIFY_TIMEOUT_MS),
    });
    status = reply.status;
    const text = await reply.text();
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  } catch (error) {
    return {
      kind: 'unavailable',
      reason: error instanceof Error ? error.name : 'the request failed',
    };
  }
  return provider.read(status, body);
};

/** The host part of a `host` or `host:port` a provider names, lowercased. */
const hostnameOf = (host: string): string => {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return host.toLowerCase();
  }
};

/**
 * What a verdict means for the request: nothing for a pass on one of the route's sites; else
 * `captcha_failed` (solve it again) or `captcha_unavailable` (try again later, with Retry-After).
 */
export const settleVerdict = (verdict: CaptchaVerdict, origins: readonly string[]): void => {
  if (verdict.kind === 'unavailable') {
    throw new ProblemError(
      'captcha_unavailable',
      'The CAPTCHA could not be checked just now; nothing was done. Try again shortly.',
      {},
      { headers: { 'retry-after': String(CAPTCHA_RETRY_AFTER_SECONDS) } },
    );
  }
  if (verdict.kind === 'refused') {
    throw new ProblemError(
      'captcha_failed',
      'The CAPTCHA was not passed, has expired or was used already: solve it again.',
    );
  }
  if (verdict.host === undefined) return;
  const solvedOn = hostnameOf(verdict.host);
  if (!origins.some((origin) => new URL(origin).hostname === solvedOn)) {
    throw new ProblemError('captcha_failed', 'The CAPTCHA was solved on another site.');
  }
};
