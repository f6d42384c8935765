/**
 * The CAPTCHA providers a browser route can use. Types only beside the list: the widget's
 * script imports the type, so that its table of providers fails to compile when one is missing.
 */
export const CAPTCHA_PROVIDER_NAMES = ['yandex-smartcaptcha', 'turnstile', 'hcaptcha'] as const;
export type CaptchaProviderName = (typeof CAPTCHA_PROVIDER_NAMES)[number];
