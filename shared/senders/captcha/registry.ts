import type { CaptchaProvider } from './captcha-provider.ts';
import { hcaptcha } from './hcaptcha.ts';
import type { CaptchaProviderName } from './provider-names.ts';
import { turnstile } from './turnstile.ts';
import { yandexSmartCaptcha } from './yandex-smartcaptcha.ts';

/** Every provider once, by the name a route's `auth.captcha.provider` gives: none may be left out. */
export const CAPTCHA_PROVIDERS: Readonly<Record<CaptchaProviderName, CaptchaProvider>> = {
  'yandex-smartcaptcha': yandexSmartCaptcha,
  turnstile,
  hcaptcha,
};
