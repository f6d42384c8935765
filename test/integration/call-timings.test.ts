import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT, demoConfig } from '../support/configs.ts';
import { freshPhones, getCall, postHook, postSigned, waitForStatus } from '../support/http.ts';
import { EVENTS_TOKEN, startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { stripeCheckoutCompleted } from '../support/sender-payloads.ts';
import { signStandardWebhook, signStripe } from '../support/senders.ts';

/*
 * GET /calls/{id} shows a call's `timings`: when the sender says the event happened (only from
 * what it signed), when callhook accepted it, placed the call, and the customer answered.
 */

const SECRETS = {
  'shop/standard': `whsec_${randomBytes(24).toString('base64')}`,
  'shop/stripe': 'whsec_call_timings',
};

const config = demoConfig(
  {
    standard: { preset: 'generic', auth: { type: 'standard-webhooks', secret: 'shop/standard' } },
    stripe: { preset: 'stripe-checkout-completed', auth: { secret: 'shop/stripe' } },
    plain: { preset: 'generic', auth: { secret: 'demo/hook-token' } },
  },
  { accounts: { demo: { ...DEMO_ACCOUNT, events_secret: 'demo/events-token' } } },
);

interface Timings {
  sender_event_at: string | null;
  accepted_at: string;
  placed_at: string | null;
  answered_at: string | null;
}

describe('Call timings', () => {
  let runtime: TestRuntime;
  const phone = freshPhones('771');
  beforeAll(async () => {
    // Calls that last a minute: the simulator's own "ended" event stays out of these tests.
    runtime = await startTestRuntime({
      config,
      secrets: SECRETS,
      sweepIntervalMs: 0,
      simulator: { callDurationMs: 60_000 },
    });
  });
  afterAll(() => runtime.stop());

  const timingsOf = async (callId: string): Promise<Timings> =>
    (await getCall(runtime.bridgeUrl, callId)).body.timings as Timings;

  it('shows the signed webhook-timestamp, acceptance, placing and answering', async () => {
    const signedAt = Math.floor(Date.now() / 1000) - 90;
    const body = JSON.stringify({ phone: phone(), message: 'Your order is ready' });
    const accepted = await postSigned(
      runtime.bridgeUrl,
      'standard',
      signStandardWebhook(SECRETS['shop/standard'], body, signedAt),
    );
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const callId = String(accepted.body.call_id);
    const placed = await waitForStatus(runtime.bridgeUrl, callId, 'placed');
    const history = placed.history as { status: string; at: string }[];

    expect(await timingsOf(callId)).toEqual({
      sender_event_at: new Date(signedAt * 1000).toISOString(),
      accepted_at: placed.created_at,
      placed_at: history.find((entry) => entry.status === 'placed')?.at,
      answered_at: null,
    });

    const before = new Date().toISOString();
    const event = await fetch(`${runtime.bridgeUrl}/events/demo?token=${EVENTS_TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'answered', call_session_id: placed.call_session_id }),
    });
    expect(event.status).toBe(200);
    const answeredAt = (await timingsOf(callId)).answered_at;
    expect(answeredAt).not.toBeNull();
    expect(String(answeredAt) >= before).toBe(true);
    expect(String(answeredAt) <= new Date().toISOString()).toBe(true);
  });

  it("takes a Stripe event's own time from its signed payload, not from when it was re-signed", async () => {
    const payload = stripeCheckoutCompleted(phone(), 1);
    const body = JSON.stringify(payload);
    const accepted = await postSigned(
      runtime.bridgeUrl,
      'stripe',
      signStripe(SECRETS['shop/stripe'], body),
    );
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);

    const timings = await timingsOf(String(accepted.body.call_id));
    expect(timings.sender_event_at).toBe(new Date(payload.created * 1000).toISOString());
  });

  it('has no sender time for a sender that signs none', async () => {
    const accepted = await postHook(runtime.bridgeUrl, 'plain', {
      phone: phone(),
      message: 'Your order is ready',
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);

    const timings = await timingsOf(String(accepted.body.call_id));
    expect(timings.sender_event_at).toBeNull();
    expect(Date.parse(timings.accepted_at)).not.toBeNaN();
  });
});
