import { type CaptchaProvider, form, readSiteverify } from './captcha-provider.ts';

/**
 * hCaptcha: `POST https://api.hcaptcha.com/siteverify` with `secret`, `response`, `remoteip` and
 * `sitekey`; `{"success", "error-codes", "hostname"}`. `invalid-or-already-seen-response` is a
 * token used or expired; the codes about the secret or site key are callhook's configuration.
 */
export const hcaptcha: CaptchaProvider = {
  verifyUrl: 'https://api.hcaptcha.com/siteverify',
  scriptUrl: 'https://js.hcaptcha.com/1/api.js?render=explicit',
  keysAt: 'https://dashboard.hcaptcha.com/sites',
  request: ({ secret, token, remoteIp, siteKey }) =>
    form({ secret, response: token, remoteip: remoteIp, sitekey: siteKey }),
  read: readSiteverify([
    'missing-input-secret',
    'invalid-input-secret',
    'bad-request',
    'sitekey-secret-mismatch',
    'invalid-sitekey',
    'not-using-dummy-passcode',
  ]),
};
