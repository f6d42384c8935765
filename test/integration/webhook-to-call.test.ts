import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getCall, postHook, waitForStatus } from '../support/http.ts';
import { queueIdle, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

describe('Local runtime: a webhook becomes a call', () => {
  let runtime: TestRuntime;

  beforeAll(async () => {
    runtime = await startTestRuntime({ simulator: { blacklist: ['79990000013'] } });
  });
  afterAll(() => runtime.stop());
  beforeEach(async () => {
    // A call accepted by the previous test must not land in this test's simulator log.
    await queueIdle(runtime.queue);
    runtime.simulator.reset();
  });

  it('places a callback call end to end, visible in GET /calls and in the simulator', async () => {
    // Act
    const accepted = await postHook(runtime.bridgeUrl, 'callback', {
      phone: '+7 (926) 000-00-01',
      name: 'Anna',
    });

    // Assess
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ status: 'queued', duplicate: false });
    const callId = String(accepted.body.call_id);
    const view = await waitForStatus(runtime.bridgeUrl, callId, 'placed');
    const calls = runtime.simulator.calls();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      method: 'start.simple_call',
      params: {
        first_call: 'operator',
        operator: '74951234567',
        virtual_phone_number: '74993720692',
        contact: '79260000001',
        external_id: callId,
      },
    });
    expect(calls[0]?.params).not.toHaveProperty('access_token');
    expect(view).toMatchObject({
      call_id: callId,
      route: 'callback',
      call_session_id: calls[0]?.call_session_id,
      attempts: 1,
      contact: '*******0001',
      error: null,
    });
    expect(JSON.stringify(view)).not.toContain('79260000001');
  });

  it('builds the informer call and its TTS text from the order fields', async () => {
    const accepted = await postHook(runtime.bridgeUrl, 'order-confirmation', {
      order_id: 'A-77',
      phone: '8 926 000 00 02',
      name: 'Boris',
      total: 990,
    });

    expect(accepted.status).toBe(202);
    await waitForStatus(runtime.bridgeUrl, String(accepted.body.call_id), 'placed');
    expect(runtime.simulator.calls()[0]).toMatchObject({
      method: 'start.informer_call',
      params: {
        contact: '79260000002',
        contact_message: {
          type: 'tts',
          value: 'Hello Boris, your order A-77 for 990 is confirmed. Thank you!',
        },
      },
    });
  });

  it('accepts a form-urlencoded callback with the token in the query string', async () => {
    const response = await fetch(`${runtime.bridgeUrl}/hooks/callback?token=test-hook-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'phone=8%20926%20000%2000%2003&name=Vera',
    });

    expect(response.status).toBe(202);
    const { call_id } = (await response.json()) as { call_id: string };
    await waitForStatus(runtime.bridgeUrl, call_id, 'placed');
    expect(runtime.simulator.calls()[0]?.params).toMatchObject({ contact: '79260000003' });
  });

  it("records the provider's refusal as failed with its mnemonic", async () => {
    const accepted = await postHook(runtime.bridgeUrl, 'callback', { phone: '+7 999 000-00-13' });

    const view = await waitForStatus(runtime.bridgeUrl, String(accepted.body.call_id), 'failed');
    expect(view.error).toMatchObject({ reason: 'contact_in_blacklist', code: -32002 });
    // The provider's message names the contact; the record keeps only its last 4 digits.
    expect(JSON.stringify(view)).not.toContain('79990000013');
    expect(JSON.stringify(view)).toContain('*******0013');
    expect(runtime.simulator.calls()).toHaveLength(0);
  });

  it('answers a repeat of the same order with the same call, and places one call', async () => {
    const order = { order_id: '5001', phone: '89260000004', name: 'Gleb', total: '10' };

    const first = await postHook(runtime.bridgeUrl, 'order-confirmation', order);
    await waitForStatus(runtime.bridgeUrl, String(first.body.call_id), 'placed');
    const repeat = await postHook(runtime.bridgeUrl, 'order-confirmation', {
      // Another key order and a differently written phone: still the same call.
      total: '10',
      name: 'Gleb',
      phone: '+7 926 000-00-04',
      order_id: '5001',
    });

    expect(first.status).toBe(202);
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual({ call_id: first.body.call_id, status: 'placed', duplicate: true });
    expect(runtime.simulator.calls()).toHaveLength(1);
  });

  it('refuses the same order key with a different call as a conflict', async () => {
    const first = await postHook(runtime.bridgeUrl, 'order-confirmation', {
      order_id: '6001',
      phone: '89260000005',
      name: 'Dina',
      total: '10',
    });
    const other = await postHook(runtime.bridgeUrl, 'order-confirmation', {
      order_id: '6001',
      phone: '89260000006',
      name: 'Dina',
      total: '10',
    });

    expect(first.status).toBe(202);
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'idempotency_conflict', call_id: first.body.call_id });
  });

  it('lets an Idempotency-Key header decide what is a repeat', async () => {
    const headers = { 'idempotency-key': 'form-submission-42' };
    const first = await postHook(
      runtime.bridgeUrl,
      'callback',
      { phone: '89260000007' },
      { headers },
    );
    const second = await postHook(
      runtime.bridgeUrl,
      'callback',
      { phone: '89260000007', name: 'added later' },
      { headers },
    );

    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(second.body.call_id).toBe(first.body.call_id);
  });

  it('places exactly one call for 200 concurrent identical deliveries', async () => {
    const body = { phone: '+7 926 000-00-08', name: 'Eva' };

    const answers = await Promise.all(
      Array.from({ length: 200 }, () => postHook(runtime.bridgeUrl, 'callback', body)),
    );

    const callIds = new Set(answers.map((a) => a.body.call_id));
    expect(callIds.size).toBe(1);
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(199);
    await waitForStatus(runtime.bridgeUrl, String(answers[0]?.body.call_id), 'placed');
    await queueIdle(runtime.queue);
    const toThisPhone = runtime.simulator.calls().filter((c) => c.params.contact === '79260000008');
    expect(toThisPhone).toHaveLength(1);
  });

  it('records a call whose answer was lost after the provider placed it as unknown, and never redials it', async () => {
    runtime.simulator.injectFault({
      fault: { mode: 'drop_after' },
      method: 'start.simple_call',
      times: 1,
    });

    const accepted = await postHook(runtime.bridgeUrl, 'callback', { phone: '89260000031' });

    const view = await waitForStatus(runtime.bridgeUrl, String(accepted.body.call_id), 'unknown');
    await queueIdle(runtime.queue);
    expect(view.error).toMatchObject({ reason: 'ambiguous' });
    expect(runtime.simulator.calls()).toHaveLength(1);
  });

  it('answers GET /health', async () => {
    const response = await fetch(`${runtime.bridgeUrl}/health`);
    expect(response.status).toBe(200);
  });

  it('guards GET /calls with the admin key', async () => {
    const accepted = await postHook(runtime.bridgeUrl, 'callback', { phone: '89260000009' });
    const callId = String(accepted.body.call_id);

    const wrongKey = await getCall(runtime.bridgeUrl, callId, 'not-the-key');
    const noKey = await fetch(`${runtime.bridgeUrl}/calls/${callId}`);
    const unknown = await getCall(runtime.bridgeUrl, 'c_00000000000000000000000000000000');

    expect(wrongKey.status).toBe(401);
    expect(wrongKey.body.code).toBe('unauthorized');
    expect(noKey.status).toBe(401);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('call_not_found');
  });
});
