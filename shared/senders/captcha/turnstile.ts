import { type CaptchaProvider, form, readSiteverify } from './captcha-provider.ts';

/**
 * Cloudflare Turnstile: `POST …/turnstile/v0/siteverify` with `secret`, `response` and
 * `remoteip`; `{"success", "error-codes", "hostname"}`. `timeout-or-duplicate` is a token used
 * or expired; `internal-error` is Cloudflare's own fault.
 */
export const turnstile: CaptchaProvider = {
  verifyUrl: 'https://challenges.cloudflare.com/turnstile/v0/siteverify',
  scriptUrl: 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit',
  keysAt: 'https://dash.cloudflare.com/?to=/:account/turnstile',
  request: ({ secret, token, remoteIp }) => form({ secret, response: token, remoteip: remoteIp }),
  read: readSiteverify([
    'missing-input-secret',
    'invalid-input-secret',
    'bad-request',
    'internal-error',
  ]),
};
