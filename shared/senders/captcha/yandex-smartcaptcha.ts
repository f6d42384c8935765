import { type CaptchaProvider, form, isCaptchaRecord } from './captcha-provider.ts';

/**
 * Yandex SmartCaptcha: `POST https://smartcaptcha.yandexcloud.net/validate` with `secret`,
 * `token` and `ip`; `{"status": "ok", "message": "", "host": "shop.example"}` for a person,
 * `{"status": "failed", "message": "Invalid or expired Token."}` for a wrong or used token. A
 * failure about the secret ("Authentication failed. Secret has not provided.") is callhook's
 * configuration, and any other HTTP status is the service's fault: both fail closed.
 */
export const yandexSmartCaptcha: CaptchaProvider = {
  verifyUrl: 'https://smartcaptcha.yandexcloud.net/validate',
  scriptUrl: 'https://smartcaptcha.yandexcloud.net/captcha.js?render=onload',
  keysAt: 'https://console.yandex.cloud/link/smartcaptcha',
  request: ({ secret, token, remoteIp }) => form({ secret, token, ip: remoteIp }),
  read: (status, body) => {
    if (status !== 200 || !isCaptchaRecord(body) || typeof body.status !== 'string') {
      return { kind: 'unavailable', reason: `validate answered HTTP ${status}` };
    }
    const message = typeof body.message === 'string' ? body.message : '';
    if (body.status === 'ok') {
      return typeof body.host === 'string' && body.host !== ''
        ? { kind: 'passed', host: body.host }
        : { kind: 'passed' };
    }
    if (/secret|authentication/i.test(message)) return { kind: 'unavailable', reason: message };
    return { kind: 'refused', reason: message || body.status };
  },
};
