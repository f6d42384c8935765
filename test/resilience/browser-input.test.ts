import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CaptchaStandIn,
  STAND_IN_SECRET,
  startCaptchaStandIn,
} from '../support/captcha-stand-in.ts';
import { demoConfig } from '../support/configs.ts';
import { documentedCodes } from '../support/documented-codes.ts';
import { formRoute, sendForm } from '../support/form-posts.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/*
 * Generated hostile forms against a browser route: wrong or missing origins, made-up, spent or
 * oversized CAPTCHA tokens, bad request ids, hopeless numbers, consent in any shape, forged
 * X-Forwarded-For, bodies that are not JSON. Every one is a documented 4xx problem, never a 5xx,
 * and nothing is stored or queued for it.
 */

const SHOP = 'http://shop.test';

describe('Resilience: a browser route refuses hostile forms with a 4xx, storing nothing', () => {
  let rt: TestRuntime;
  let captcha: CaptchaStandIn;
  const codes = documentedCodes();

  beforeAll(async () => {
    captcha = await startCaptchaStandIn();
    rt = await startTestRuntime({
      config: demoConfig({
        form: formRoute(captcha.verifyUrl('hcaptcha'), {
          provider: 'hcaptcha',
          consent: { required: true, text_version: 'v1' },
          limits: { per_ip: { max: 1000, minutes: 60 }, per_number: { max: 1000, minutes: 60 } },
        }),
      }),
      secrets: { 'shop/captcha': STAND_IN_SECRET },
      sweepIntervalMs: 0,
    });
  });
  afterAll(async () => {
    await rt?.stop();
    await captcha?.close();
  });

  const spent = () => {
    const token = captcha.issue('shop.test');
    return fetch(captcha.verifyUrl('hcaptcha'), {
      method: 'POST',
      body: new URLSearchParams({ secret: STAND_IN_SECRET, response: token }),
    }).then(() => token);
  };

  const origin = fc.constantFrom<string | undefined>(
    SHOP,
    'http://evil.test',
    'null',
    undefined,
    `${SHOP}/`,
  );
  const token = fc.oneof(
    fc.constant<'fresh' | 'spent' | undefined>('fresh'),
    fc.constant<'fresh' | 'spent' | undefined>('spent'),
    fc.constant(undefined),
    fc.string({ maxLength: 40 }),
    fc.constant('x'.repeat(5000)),
  );
  const requestId = fc.oneof(
    fc.constant(undefined),
    fc.string({ maxLength: 12 }),
    fc.constant('a'.repeat(200)),
  );
  const phone = fc.oneof(
    fc.constant('call me maybe'),
    fc.constant(''),
    fc.integer(),
    fc.constant('+1900555'),
  );
  const consent = fc.constantFrom<unknown>(true, false, 'yes', undefined, null);

  it('answers every generated hostile form with a documented 4xx and stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        origin,
        token,
        requestId,
        phone,
        consent,
        fc.boolean(),
        async (from, kind, id, number, agreed, garbage) => {
          const stored = await rt.storedCalls();
          const sent = rt.queue.sentCount;
          const captchaToken =
            kind === 'fresh' ? captcha.issue('shop.test') : kind === 'spent' ? await spent() : kind;
          const answer = await sendForm(rt.bridgeUrl, 'form', {
            headers: {
              ...(from !== undefined && { origin: from }),
              'x-forwarded-for': '203.0.113.7',
            },
            body: garbage
              ? ['not json']
              : { request_id: id, phone: number, consent: agreed, captcha_token: captchaToken },
          });
          expect(answer.status).toBeGreaterThanOrEqual(400);
          expect(answer.status).toBeLessThan(500);
          expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(codes.get(String(answer.body.code))).toBe(answer.status);
          expect(await rt.storedCalls()).toBe(stored);
          expect(rt.queue.sentCount).toBe(sent);
        },
      ),
      { numRuns: 80, interruptAfterTimeLimit: 30_000 },
    );
  }, 60_000);
});
