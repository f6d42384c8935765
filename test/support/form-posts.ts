import { randomUUID } from 'node:crypto';
import http from 'node:http';

/** A browser form's route in a test config: the demo account, one site, the stand-in's CAPTCHA. */
export const formRoute = (
  verifyUrl: string,
  fields: {
    provider?: 'turnstile' | 'hcaptcha' | 'yandex-smartcaptcha';
    origins?: string[];
    limits?: Record<string, unknown>;
    consent?: Record<string, unknown>;
    scriptUrl?: string;
    extra?: Record<string, unknown>;
  } = {},
): Record<string, unknown> => ({
  preset: 'callback-form',
  call: { params: { operator: '74951234567' } },
  auth: {
    type: 'browser',
    origins: fields.origins ?? ['http://shop.test'],
    secret: 'shop/captcha',
    captcha: {
      provider: fields.provider ?? 'turnstile',
      site_key: 'stand-in-site-key',
      verify_url: verifyUrl,
      ...(fields.scriptUrl !== undefined && { script_url: fields.scriptUrl }),
    },
    ...(fields.limits !== undefined && { limits: fields.limits }),
    ...(fields.consent !== undefined && { consent: fields.consent }),
  },
  ...fields.extra,
});

export interface FormAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/**
 * Sends a request to the bridge from `localAddress` (another loopback address is another
 * client to the per-address window), with the headers given as they are.
 */
export const sendForm = (
  baseUrl: string,
  route: string,
  init: {
    method?: 'POST' | 'OPTIONS';
    body?: unknown;
    headers?: Record<string, string>;
    localAddress?: string;
  } = {},
): Promise<FormAnswer> =>
  new Promise((resolve, reject) => {
    const url = new URL(`${baseUrl}/hooks/${route}`);
    const body = init.body === undefined ? '' : JSON.stringify(init.body);
    const request = http.request(
      url,
      {
        method: init.method ?? 'POST',
        headers: {
          ...(init.method !== 'OPTIONS' && { 'content-type': 'application/json' }),
          ...init.headers,
        },
        localAddress: init.localAddress ?? '127.0.0.1',
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
          });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });

/** A form as the widget posts it: a fresh request id unless one is given. */
export const formBody = (
  phone: string,
  captchaToken: string | undefined,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  request_id: randomUUID(),
  phone,
  ...(captchaToken !== undefined && { captcha_token: captchaToken }),
  ...extra,
});
