import { createHmac, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../shared/config/load.ts';
import type { CallhookConfig } from '../../shared/config/schema.ts';
import { getCall, postHook, waitForStatus } from '../support/http.ts';
import { type ReceivedRequest, startReceiver } from '../support/receiver.ts';
import { shippedConfig, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const EVENTS_TOKEN = 'provider-events-token';
const SIGNING_KEY = randomBytes(32);
const SECRETS = {
  'demo/events-token': EVENTS_TOKEN,
  'demo/callback-key': `whsec_${SIGNING_KEY.toString('base64')}`,
};

const configWithCallbacks = async (callbackUrl: string): Promise<CallhookConfig> => {
  const shipped = JSON.parse(JSON.stringify(await shippedConfig())) as {
    accounts: { demo: Record<string, unknown> };
    routes: { callback: Record<string, unknown> };
  };
  shipped.accounts.demo.events_secret = 'demo/events-token';
  shipped.routes.callback.callback_url = callbackUrl;
  shipped.routes.callback.callback_secret = 'demo/callback-key';
  return parseConfig(shipped, 'test');
};

const postEvent = async (
  baseUrl: string,
  body: unknown,
  { account = 'demo', token = EVENTS_TOKEN }: { account?: string; token?: string | null } = {},
) => {
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  const response = await fetch(`${baseUrl}/events/${account}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

/** Standard Webhooks, checked by hand: base64 HMAC-SHA256 of "id.timestamp.body". */
const signatureIsValid = (request: ReceivedRequest): boolean => {
  const id = String(request.headers['webhook-id']);
  const timestamp = String(request.headers['webhook-timestamp']);
  const expected = createHmac('sha256', SIGNING_KEY)
    .update(`${id}.${timestamp}.${request.body}`)
    .digest('base64');
  return String(request.headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
};

const statusOf = (request: ReceivedRequest): string =>
  (JSON.parse(request.body) as { data: { status: string } }).data.status;

describe('Provider events and status callbacks', () => {
  let runtime: TestRuntime | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  afterEach(async () => {
    await runtime?.stop();
    await receiver?.close();
    runtime = undefined;
    receiver = undefined;
  });

  const start = async (status?: (n: number) => number, callDurationMs?: number) => {
    receiver = await startReceiver(status);
    runtime = await startTestRuntime({
      sweepIntervalMs: 0,
      secrets: SECRETS,
      config: await configWithCallbacks(receiver.url),
      callbackBackoff: { baseMs: 0, maxMs: 0 },
      ...(callDurationMs !== undefined && { simulator: { callDurationMs } }),
    });
    return { rt: runtime, rx: receiver };
  };

  const placeCall = async (rt: TestRuntime, phone: string) => {
    const accepted = await postHook(rt.bridgeUrl, 'callback', { phone });
    const callId = String(accepted.body.call_id);
    const view = await waitForStatus(rt.bridgeUrl, callId, 'placed');
    return { callId, sessionId: Number(view.call_session_id) };
  };

  it('records answered and ended events found by call_session_id', async () => {
    const { rt } = await start();
    const { callId, sessionId } = await placeCall(rt, '+79260000011');

    const answered = await postEvent(rt.bridgeUrl, {
      event: 'answered',
      call_session_id: sessionId,
    });
    const ended = await postEvent(rt.bridgeUrl, {
      event: 'ended',
      call_session_id: String(sessionId),
      talk_time_duration: '42',
      contact_phone_number: '79260000011',
    });

    expect(answered).toEqual({
      status: 200,
      body: { status: 'recorded', call_id: callId, call_status: 'placed' },
    });
    expect(ended.body).toMatchObject({ status: 'recorded', call_status: 'completed' });
    const view = (await getCall(rt.bridgeUrl, callId)).body;
    expect(view).toMatchObject({
      status: 'completed',
      outcome: { answered: true, duration_s: 42 },
    });
    // The raw event names the contact: it is kept in the record, never shown.
    expect(JSON.stringify(view)).not.toContain('79260000011');
    const kept = (await rt.store.get(callId))?.outcome?.event;
    expect(JSON.parse(String(kept))).toMatchObject({
      talk_time_duration: 42,
      contact_phone_number: '79260000011',
    });
  });

  it("completes a call when the simulator, like the provider, reports the call's end", async () => {
    const { rt } = await start(undefined, 300);

    const { callId } = await placeCall(rt, '+79260000015');
    const view = await waitForStatus(rt.bridgeUrl, callId, 'completed');

    expect(view.outcome).toMatchObject({ answered: false, duration_s: 0 });
    expect(view.history).toContainEqual(
      expect.objectContaining({ status: 'completed', reason: 'the call ended' }),
    );
  });

  it('completes a call left unknown when its end is reported, found by external_id', async () => {
    const { rt } = await start();
    rt.simulator.injectFault({
      fault: { mode: 'drop_after' },
      method: 'start.simple_call',
      times: 1,
    });
    const accepted = await postHook(rt.bridgeUrl, 'callback', { phone: '+79260000012' });
    const callId = String(accepted.body.call_id);
    await waitForStatus(rt.bridgeUrl, callId, 'unknown');
    const [placed] = rt.simulator.calls();

    const ended = await postEvent(rt.bridgeUrl, {
      event: 'ended',
      call_session_id: placed?.call_session_id,
      external_id: callId,
    });

    expect(ended.body).toMatchObject({ status: 'recorded', call_status: 'completed' });
    expect((await getCall(rt.bridgeUrl, callId)).body).toMatchObject({
      status: 'completed',
      call_session_id: placed?.call_session_id,
    });
  });

  it('acknowledges events for sessions callhook did not start, and changes nothing', async () => {
    const { rt } = await start();

    const answer = await postEvent(rt.bridgeUrl, { event: 'ended', call_session_id: 999 });

    expect(answer).toMatchObject({ status: 200, body: { status: 'ignored' } });
    expect(await rt.storedCalls()).toBe(0);
  });

  it.each([
    { name: 'no token', options: { token: null }, status: 401, code: 'unauthorized' },
    { name: 'a wrong token', options: { token: 'guess' }, status: 401, code: 'invalid_signature' },
    {
      name: 'an unknown account',
      options: { account: 'other' },
      status: 404,
      code: 'unknown_account',
    },
  ])('refuses an event with $name', async ({ options, status, code }) => {
    const { rt } = await start();

    const answer = await postEvent(rt.bridgeUrl, { event: 'ended', call_session_id: 1 }, options);

    expect(answer).toMatchObject({ status, body: { code } });
  });

  it('refuses an event that does not match the template with 422', async () => {
    const { rt } = await start();

    const answer = await postEvent(rt.bridgeUrl, { event: 'hung-up', call_session_id: 'x' });

    expect(answer).toMatchObject({ status: 422, body: { code: 'invalid_payload' } });
  });

  it('posts a signed callback for every state change, each with its own stable id', async () => {
    const { rt, rx } = await start();
    const { callId, sessionId } = await placeCall(rt, '+79260000013');
    await postEvent(rt.bridgeUrl, { event: 'ended', call_session_id: sessionId });

    await vi.waitFor(() => expect(rx.received).toHaveLength(4), { timeout: 5_000, interval: 10 });
    expect(rx.received.map(statusOf).sort()).toEqual(['completed', 'dialing', 'placed', 'queued']);
    for (const request of rx.received) {
      expect(signatureIsValid(request)).toBe(true);
      expect(request.headers['webhook-id']).toMatch(new RegExp(`^${callId}\\.\\d+$`));
    }
    expect(new Set(rx.received.map((r) => r.headers['webhook-id'])).size).toBe(4);
  });

  it('retries a failing receiver with the same id and body, without holding up the call', async () => {
    // The receiver fails its first three requests.
    const { rt, rx } = await start((n) => (n <= 3 ? 503 : 204));

    const { callId } = await placeCall(rt, '+79260000014');
    await vi.waitFor(() => expect(rx.received.filter((r) => r.answered === 204)).toHaveLength(3), {
      timeout: 5_000,
      interval: 10,
    });

    expect((await getCall(rt.bridgeUrl, callId)).body.status).toBe('placed');
    const byId = new Map<string, ReceivedRequest[]>();
    for (const request of rx.received) {
      const id = String(request.headers['webhook-id']);
      byId.set(id, [...(byId.get(id) ?? []), request]);
    }
    expect(byId.size).toBe(3);
    for (const attempts of byId.values()) {
      // Every retry of one state change carried the same body.
      expect(new Set(attempts.map((a) => a.body)).size).toBe(1);
      expect(attempts.every(signatureIsValid)).toBe(true);
    }
    expect(rx.received.filter((r) => r.answered === 503)).toHaveLength(3);
  });

  it("shows each status callback's deliveries in the call's timeline", async () => {
    // Every request for the first state change fails twice; the rest are delivered at once.
    const failing = new Map<string, number>();
    const { rt, rx } = await start();
    rx.answerWith((request) => {
      const id = String(request.headers['webhook-id']);
      const seen = (failing.get(id) ?? 0) + 1;
      failing.set(id, seen);
      return id.endsWith('.1') && seen <= 2 ? 500 : 204;
    });
    const { callId } = await placeCall(rt, '+79260000015');
    await vi.waitFor(() => expect(rx.received.filter((r) => r.answered === 204)).toHaveLength(3), {
      timeout: 5_000,
      interval: 10,
    });

    const callbacksOf = async () =>
      ((await getCall(rt.bridgeUrl, callId)).body.timeline as Record<string, unknown>[]).filter(
        (entry) => entry.type === 'callback',
      );
    await vi.waitFor(
      async () => expect((await callbacksOf()).every((e) => e.outcome === 'delivered')).toBe(true),
      { timeout: 5_000, interval: 20 },
    );
    // By webhook: the three share a batch (the queue's window), so the retried one ends last.
    const entries = (await callbacksOf()).sort((a, b) =>
      String(a.webhook_id).localeCompare(String(b.webhook_id)),
    );
    expect(entries.map((e) => [e.webhook_id, e.status, e.attempts, e.status_code])).toEqual([
      [`${callId}.1`, 'queued', 3, 204],
      [`${callId}.2`, 'dialing', 1, 204],
      [`${callId}.3`, 'placed', 1, 204],
    ]);
    for (const entry of entries) {
      expect(entry.last_error).toBeNull();
      expect(entry.next_attempt_at).toBeNull();
    }
  });

  it('shows a failing callback as retrying, with its last error and next try', async () => {
    const { rt, rx } = await start(() => 503);
    const { callId } = await placeCall(rt, '+79260000016');
    await vi.waitFor(() => expect(rx.received.length).toBeGreaterThanOrEqual(3), {
      timeout: 5_000,
      interval: 10,
    });
    await vi.waitFor(
      async () => {
        const timeline = (await getCall(rt.bridgeUrl, callId)).body.timeline as Record<
          string,
          unknown
        >[];
        const queued = timeline.find((e) => e.webhook_id === `${callId}.1`);
        expect(queued).toMatchObject({
          type: 'callback',
          status: 'queued',
          outcome: 'retrying',
          status_code: 503,
          last_error: 'HTTP 503',
        });
        expect(Date.parse(String(queued?.next_attempt_at))).not.toBeNaN();
      },
      { timeout: 5_000, interval: 20 },
    );
  });
});
