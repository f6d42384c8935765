import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CaptchaProviderName } from '../../shared/senders/captcha/provider-names.ts';

/*
 * The three CAPTCHA providers, played on 127.0.0.1 as their documentation describes them:
 * each verify endpoint takes its provider's form fields and answers in its provider's format
 * and error codes (Turnstile's and hCaptcha's `{"success", "error-codes", "hostname"}`, Yandex
 * SmartCaptcha's `{"status", "message", "host"}`); a token is good once, for five minutes. Each
 * provider's page script is played too: `render(element, {sitekey, callback})` draws a button
 * that, clicked, gets a token for the page's host and hands it to `callback`.
 */

export const STAND_IN_SECRET = 'stand-in-secret-key';
export const STAND_IN_SITE_KEY = 'stand-in-site-key';

interface Issued {
  host: string;
  at: number;
  used: boolean;
}

export interface CaptchaStandIn {
  url: string;
  /** The verify URL of a provider here. */
  verifyUrl(provider: CaptchaProviderName): string;
  /** The page script of a provider here. */
  scriptUrl(provider: CaptchaProviderName): string;
  /** A token as the provider's page script would get on a page of `host`. */
  issue(host: string): string;
  /** `down`: every verify answers 503, as a provider's outage would. */
  fault: 'none' | 'down';
  /** How many verify requests each provider got. */
  readonly verifies: Record<CaptchaProviderName, number>;
  close(): Promise<void>;
}

const TOKEN_LIFETIME_MS = 300_000;

const PATHS: Record<CaptchaProviderName, { verify: string; script: string; global: string }> = {
  turnstile: {
    verify: '/turnstile/v0/siteverify',
    script: '/turnstile/v0/api.js',
    global: 'turnstile',
  },
  hcaptcha: { verify: '/hcaptcha/siteverify', script: '/hcaptcha/api.js', global: 'hcaptcha' },
  'yandex-smartcaptcha': {
    verify: '/yandex/validate',
    script: '/yandex/captcha.js',
    global: 'smartCaptcha',
  },
};

/** What the token's check found, before it is put in a provider's words. */
type Check = 'ok' | 'no-secret' | 'bad-secret' | 'no-token' | 'bad-token' | 'used' | 'expired';

/** The page script: one global with `render` and `reset`, as the provider's has. */
const pageScript = (global: string, issueUrl: string): string => `(() => {
  const widgets = [];
  window[${JSON.stringify(global)}] = {
    render(element, options) {
      const target = typeof element === 'string' ? document.querySelector(element) : element;
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'I am not a robot';
      button.dataset.standIn = 'captcha';
      button.addEventListener('click', async () => {
        const reply = await fetch(${JSON.stringify(issueUrl)}, {
          method: 'POST',
          body: JSON.stringify({ host: location.host, sitekey: options.sitekey }),
        });
        const { token } = await reply.json();
        button.textContent = 'Verified';
        button.disabled = true;
        options.callback(token);
      });
      target.append(button);
      widgets.push(button);
      return widgets.length - 1;
    },
    reset(id) {
      const button = widgets[id ?? 0];
      if (button) { button.textContent = 'I am not a robot'; button.disabled = false; }
    },
  };
})();
`;

const readBody = async (req: http.IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export const startCaptchaStandIn = async (): Promise<CaptchaStandIn> => {
  const issued = new Map<string, Issued>();
  const verifies: Record<CaptchaProviderName, number> = {
    turnstile: 0,
    hcaptcha: 0,
    'yandex-smartcaptcha': 0,
  };
  const issue = (host: string) => {
    const token = `tok_${randomUUID()}`;
    issued.set(token, { host, at: Date.now(), used: false });
    return token;
  };
  const check = (secret: string | null, token: string | null): { check: Check; host?: string } => {
    if (secret === null || secret === '') return { check: 'no-secret' };
    if (secret !== STAND_IN_SECRET) return { check: 'bad-secret' };
    if (token === null || token === '') return { check: 'no-token' };
    const found = issued.get(token);
    if (found === undefined) return { check: 'bad-token' };
    if (found.used) return { check: 'used' };
    found.used = true;
    if (Date.now() - found.at > TOKEN_LIFETIME_MS) return { check: 'expired' };
    return { check: 'ok', host: found.host };
  };
  const siteverify = (
    result: { check: Check; host?: string },
    codes: Record<Exclude<Check, 'ok'>, string>,
  ) =>
    result.check === 'ok'
      ? {
          success: true,
          challenge_ts: new Date().toISOString(),
          hostname: (result.host ?? '').replace(/:\d+$/, ''),
          'error-codes': [],
        }
      : { success: false, 'error-codes': [codes[result.check]] };
  const answers: Record<CaptchaProviderName, (form: URLSearchParams) => unknown> = {
    turnstile: (form) =>
      siteverify(check(form.get('secret'), form.get('response')), {
        'no-secret': 'missing-input-secret',
        'bad-secret': 'invalid-input-secret',
        'no-token': 'missing-input-response',
        'bad-token': 'invalid-input-response',
        used: 'timeout-or-duplicate',
        expired: 'timeout-or-duplicate',
      }),
    hcaptcha: (form) =>
      siteverify(check(form.get('secret'), form.get('response')), {
        'no-secret': 'missing-input-secret',
        'bad-secret': 'invalid-input-secret',
        'no-token': 'missing-input-response',
        'bad-token': 'invalid-input-response',
        used: 'invalid-or-already-seen-response',
        expired: 'invalid-or-already-seen-response',
      }),
    'yandex-smartcaptcha': (form) => {
      const result = check(form.get('secret'), form.get('token'));
      if (result.check === 'ok') return { status: 'ok', message: '', host: result.host ?? '' };
      if (result.check === 'no-secret' || result.check === 'bad-secret') {
        return { status: 'failed', message: 'Authentication failed. Secret has not provided.' };
      }
      return { status: 'failed', message: 'Invalid or expired Token.' };
    },
  };

  let standIn: CaptchaStandIn;
  const server = http.createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const body = await readBody(req);
    const cors = { 'access-control-allow-origin': '*' };
    if (path === '/issue' && req.method === 'POST') {
      const { host } = JSON.parse(body) as { host: string };
      res.writeHead(200, { ...cors, 'content-type': 'application/json' });
      res.end(JSON.stringify({ token: issue(host) }));
      return;
    }
    for (const [provider, paths] of Object.entries(PATHS) as [
      CaptchaProviderName,
      (typeof PATHS)[CaptchaProviderName],
    ][]) {
      if (path === paths.script) {
        res.writeHead(200, { ...cors, 'content-type': 'text/javascript' });
        res.end(pageScript(paths.global, `${standIn.url}/issue`));
        return;
      }
      if (path === paths.verify && req.method === 'POST') {
        verifies[provider] += 1;
        if (standIn.fault === 'down') {
          res.writeHead(503, { 'content-type': 'text/html' });
          res.end('<h1>503 Service Temporarily Unavailable</h1>');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answers[provider](new URLSearchParams(body))));
        return;
      }
    }
    res.writeHead(404);
    res.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  standIn = {
    url,
    verifyUrl: (provider) => `${url}${PATHS[provider].verify}`,
    scriptUrl: (provider) => `${url}${PATHS[provider].script}`,
    issue,
    fault: 'none',
    verifies,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  return standIn;
};
