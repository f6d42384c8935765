import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT, demoConfig } from '../support/configs.ts';
import { freshPhones, getCall, postHook, waitForStatus } from '../support/http.ts';
import { EVENTS_TOKEN, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/*
 * A visitor filled in the site's form, then rang the shop before the callback came: the
 * provider's inbound-call notification stops the calls to that number on routes that say so,
 * found by the number's keyed hash in the per-number counts.
 */

/** Today and the next two days (UTC) as holidays: calls on such a route wait, `scheduled`. */
const holidaysNow = (): string[] =>
  [0, 1, 2].map((n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10));

const waiting = {
  calling_hours: { time_zone: 'UTC', from: '00:00', to: '23:59', holidays: holidaysNow() },
};
const form = { preset: 'generic', auth: { secret: 'demo/hook-token' } };

const config = demoConfig(
  {
    callback: { ...form, ...waiting, stop_when_customer_calls: true },
    'callback-now': { ...form, stop_when_customer_calls: true },
    newsletter: { ...form, ...waiting },
  },
  { accounts: { demo: { ...DEMO_ACCOUNT, events_secret: 'demo/events-token' } } },
  'customer-called-in test',
);

describe('Stop when the customer calls in (against the local runtime)', () => {
  let runtime: TestRuntime;
  const phone = freshPhones('881');

  beforeAll(async () => {
    runtime = await startTestRuntime({ config, simulator: { callDurationMs: 60_000 } });
  });
  afterAll(() => runtime?.stop());

  const request = async (route: string, number: string) =>
    String(
      (await postHook(runtime.bridgeUrl, route, { phone: number, message: 'Hi' })).body.call_id,
    );

  const inbound = async (contact: unknown) => {
    const response = await fetch(`${runtime.bridgeUrl}/events/demo?token=${EVENTS_TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        event: 'inbound',
        contact_phone_number: contact,
        virtual_phone_number: DEMO_ACCOUNT.virtual_phone_number,
        call_session_id: 4_242_001,
      }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const statusOf = async (callId: string) => (await getCall(runtime.bridgeUrl, callId)).body.status;

  it('cancels the waiting calls to that number on routes that stop, and no other', async () => {
    const number = phone();
    const other = phone();
    const stops = await request('callback', number);
    const keeps = await request('newsletter', number);
    const elsewhere = await request('callback', other);

    // Written as the provider may render it: a plus, spaces and dashes.
    const first = await inbound(
      `+${number.slice(1, 2)} ${number.slice(2, 5)} ${number.slice(5, 8)}-${number.slice(8)}`,
    );
    const again = await inbound(number.slice(1));

    expect(first).toEqual({
      status: 200,
      body: { status: 'customer_called_in', stopped: [stops] },
    });
    expect(again.body).toEqual({ status: 'customer_called_in', stopped: [] });
    expect([await statusOf(stops), await statusOf(keeps), await statusOf(elsewhere)]).toEqual([
      'cancelled',
      'scheduled',
      'scheduled',
    ]);
    const call = (await getCall(runtime.bridgeUrl, stops)).body;
    expect(call.customer_called_in).toMatchObject({ at: expect.any(String) });
    expect(JSON.stringify(call.history)).toContain('customer_called_in');
  });

  it('leaves a ringing call to end, with no attempt after it', async () => {
    const number = phone();
    const ringing = await request('callback-now', number);
    await waitForStatus(runtime.bridgeUrl, ringing, 'placed');

    const answer = await inbound(number.slice(1));

    expect(answer.body).toEqual({ status: 'customer_called_in', stopped: [ringing] });
    const call = (await getCall(runtime.bridgeUrl, ringing)).body;
    expect([call.status, JSON.stringify(call.history)]).toEqual([
      'placed',
      expect.stringContaining('none follows it'),
    ]);
  });

  it('refuses a number that is no number, and a wrong token, before looking anything up', async () => {
    const bad = await inbound('call me');
    const wrongToken = await fetch(`${runtime.bridgeUrl}/events/demo?token=nope`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'inbound', contact_phone_number: '79260000000' }),
    });

    expect([bad.status, bad.body.code]).toEqual([422, 'invalid_payload']);
    expect(wrongToken.status).toBe(401);
  });
});
