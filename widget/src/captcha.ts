import type { CaptchaProviderName } from '../../shared/senders/captcha/provider-names.ts';

/** A provider's page API, as its script defines it on `window`: render a challenge, reset it. */
interface PageApi {
  render(element: HTMLElement, options: Record<string, unknown>): unknown;
  reset(id?: unknown): void;
}

interface CaptchaClient {
  /** The global the provider's script defines. */
  readonly global: string;
  /** The options of `render` that hand the token to `onToken` and say when it expired. */
  readonly options: (
    siteKey: string,
    onToken: (token: string) => void,
    onExpired: () => void,
    language: string,
  ) => Record<string, unknown>;
}

/** Every provider the routes may name (a missing one fails to compile), as its docs describe its script. */
const CLIENTS: Record<CaptchaProviderName, CaptchaClient> = {
  turnstile: {
    global: 'turnstile',
    options: (sitekey, callback, expired, language) => ({
      sitekey,
      callback,
      'expired-callback': expired,
      language,
    }),
  },
  hcaptcha: {
    global: 'hcaptcha',
    options: (sitekey, callback, expired, language) => ({
      sitekey,
      callback,
      'expired-callback': expired,
      hl: language,
    }),
  },
  'yandex-smartcaptcha': {
    global: 'smartCaptcha',
    options: (sitekey, callback, _expired, language) => ({ sitekey, callback, hl: language }),
  },
};

export interface MountedCaptcha {
  reset(): void;
}

/**
 * Loads the provider's script (the widget's only request to another party) and renders its
 * challenge into `element`; each solved challenge's token goes to `onToken`.
 */
export const mountCaptcha = (
  provider: CaptchaProviderName,
  scriptUrl: string,
  siteKey: string,
  element: HTMLElement,
  language: string,
  onToken: (token: string | undefined) => void,
): Promise<MountedCaptcha> =>
  new Promise((resolve, reject) => {
    const client = CLIENTS[provider];
    const script = document.createElement('script');
    script.src = scriptUrl;
    script.async = true;
    script.addEventListener('error', () => reject(new Error('the CAPTCHA did not load')));
    script.addEventListener('load', () => {
      const api = (window as unknown as Record<string, PageApi | undefined>)[client.global];
      if (api === undefined) {
        reject(new Error('the CAPTCHA did not start'));
        return;
      }
      const id = api.render(
        element,
        client.options(
          siteKey,
          (token) => onToken(token),
          () => onToken(undefined),
          language,
        ),
      );
      resolve({
        reset: () => {
          onToken(undefined);
          api.reset(id);
        },
      });
    });
    document.head.append(script);
  });
