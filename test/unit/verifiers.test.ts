import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RawRequest } from '../../shared/http/raw-request.ts';
import { verifyGenericHmac } from '../../shared/senders/hmac.ts';
import { verifyStandardWebhook } from '../../shared/senders/standard-webhooks.ts';
import { verifyStripe } from '../../shared/senders/stripe.ts';

const body = '{"id":"evt_1","type":"checkout.session.completed"}';
const request = (headers: Record<string, string>): RawRequest => ({
  headers,
  query: {},
  body: Buffer.from(body),
});
const now = new Date();
const t = Math.floor(now.getTime() / 1000);

describe('Signature schemes with several signatures or options', () => {
  it('stripe: accepts any of several v1 signatures (a secret being rolled)', () => {
    const good = createHmac('sha256', 'whsec_new').update(`${t}.${body}`).digest('hex');
    const header = `t=${t},v1=${'a'.repeat(64)},v1=${good}`;

    expect(() =>
      verifyStripe(request({ 'stripe-signature': header }), 'whsec_new', 300, now),
    ).not.toThrow();
  });

  it('stripe: refuses a v0 signature alone', () => {
    const v0 = createHmac('sha256', 'whsec_new').update(`${t}.${body}`).digest('hex');

    expect(() =>
      verifyStripe(request({ 'stripe-signature': `t=${t},v0=${v0}` }), 'whsec_new', 300, now),
    ).toThrow(expect.objectContaining({ code: 'invalid_signature' }));
  });

  it('standard webhooks: accepts a list where a later signature matches', () => {
    const key = randomBytes(32);
    const sig = createHmac('sha256', key).update(`msg_1.${t}.${body}`).digest('base64');
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(t),
      'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')} v1,${sig}`,
    };

    expect(() =>
      verifyStandardWebhook(request(headers), `whsec_${key.toString('base64')}`, now),
    ).not.toThrow();
  });

  it('standard webhooks: checks the signing time against the clock it is given', () => {
    const key = randomBytes(32);
    const secret = `whsec_${key.toString('base64')}`;
    const clock = new Date(now.getTime() - 3 * 3_600_000);
    const signedAt = (at: Date) => {
      const seconds = String(Math.floor(at.getTime() / 1000));
      const sig = createHmac('sha256', key).update(`msg_1.${seconds}.${body}`).digest('base64');
      return request({
        'webhook-id': 'msg_1',
        'webhook-timestamp': seconds,
        'webhook-signature': `v1,${sig}`,
      });
    };

    expect(() =>
      verifyStandardWebhook(signedAt(new Date(clock.getTime() - 600_000)), secret, clock),
    ).toThrow(expect.objectContaining({ code: 'invalid_signature' }));
    // The signed id keys the event; the signed time is when the sender says it sent it.
    expect(verifyStandardWebhook(signedAt(clock), secret, clock)).toEqual({
      eventId: 'msg_1',
      signedAt: new Date(Math.floor(clock.getTime() / 1000) * 1000),
    });
  });

  it('standard webhooks: a missing header is a missing credential, a wrong signature is refused', () => {
    const key = randomBytes(32);
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(t),
      'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}`,
    };
    const secret = `whsec_${key.toString('base64')}`;

    expect(() =>
      verifyStandardWebhook(request({ ...headers, 'webhook-id': '' }), secret, now),
    ).toThrow(expect.objectContaining({ code: 'unauthorized' }));
    expect(() => verifyStandardWebhook(request(headers), secret, now)).toThrow(
      expect.objectContaining({ code: 'invalid_signature' }),
    );
  });

  it('hmac: a base64 SHA-256 of the body without timestamp or prefix', () => {
    const sig = createHmac('sha256', 'k').update(body).digest('base64');
    const settings = {
      type: 'hmac' as const,
      secret: 's',
      header: 'X-Sig',
      algorithm: 'sha256' as const,
      encoding: 'base64' as const,
      tolerance_seconds: 300,
    };

    expect(() => verifyGenericHmac(request({ 'x-sig': sig }), 'k', settings, now)).not.toThrow();
    expect(() => verifyGenericHmac(request({ 'x-sig': `${sig}x` }), 'k', settings, now)).toThrow(
      expect.objectContaining({ code: 'invalid_signature' }),
    );
  });
});
