import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.ts';
import { getCall, postCallAction, postHook, waitForStatus } from '../support/http.ts';
import {
  queueIdle,
  shippedConfig,
  startTestRuntime,
  type TestRuntime,
} from '../support/runtime.ts';

const CAMPAIGN_TOKEN = 'campaign-token-8231';

/** The shipped config plus a JAICP campaign (simulated) and a route whose calls a bot makes. */
const jaicpConfig = async () => {
  const shipped = JSON.parse(JSON.stringify(await shippedConfig())) as {
    accounts: Record<string, unknown>;
    routes: Record<string, unknown>;
  };
  shipped.accounts.bot = { backend: 'jaicp', provider: 'simulator', secret: 'bot/campaign' };
  shipped.routes['bot-confirm'] = {
    account: 'bot',
    auth: { type: 'token', secret: 'demo/hook-token' },
    call: {
      method: 'jaicp.addPhones',
      contact: 'phone',
      payload: { name: 'name', order: 'order_id' },
      params: { maxAttempts: 2, retryIntervalInMinutes: 30 },
    },
    idempotency_key: 'order_id',
    calling_hours: { time_zone: 'Europe/Moscow', from: '09:00', to: '21:00' },
    max_age_minutes: 1440,
  };
  return parseConfig(shipped, 'jaicp test');
};

/** 12:00 in Moscow (09:00 UTC) tomorrow: inside the route's window. */
const moscowNoonTomorrow = (): Date => {
  const noon = new Date();
  noon.setUTCDate(noon.getUTCDate() + 1);
  noon.setUTCHours(9, 0, 0, 0);
  return noon;
};

describe('A route on the JAICP backend (voice-bot campaign), through the local runtime', () => {
  let runtime: TestRuntime | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  const start = async (jobDurationMs: number, clock: () => Date = () => new Date()) => {
    runtime = await startTestRuntime({
      config: await jaicpConfig(),
      secrets: { 'bot/campaign': CAMPAIGN_TOKEN },
      sweepIntervalMs: 0,
      now: clock,
      backoff: { baseMs: 0, maxMs: 0 },
      timing: {
        lostMessageGraceMs: 60_000,
        reconcileAfterMs: 0,
        maxReconciliations: 3,
        pollAfterMs: 0,
      },
      jaicp: { jobDurationMs },
    });
    const jaicp = runtime.jaicp;
    if (jaicp === undefined) throw new Error('the JAICP simulator did not start');
    return { rt: runtime, jaicp };
  };

  const order = (orderId: string, phone = '+79260000041') =>
    ({ order_id: orderId, phone, name: 'Zoya' }) as const;

  it('adds one job keyed by the call id, with the payload and the calling window, and completes it from the report', async () => {
    const { rt, jaicp } = await start(0, moscowNoonTomorrow);

    const accepted = await postHook(rt.bridgeUrl, 'bot-confirm', order('A-1'));
    const callId = String(accepted.body.call_id);
    const placed = await waitForStatus(rt.bridgeUrl, callId, 'placed');
    const report = await rt.sweep();

    expect(accepted).toMatchObject({ status: 202, body: { status: 'queued' } });
    const [job] = jaicp.jobs();
    expect(job).toMatchObject({
      idempotenceKey: callId,
      job: {
        phone: '79260000041',
        payload: { name: 'Zoya', order: 'A-1' },
        maxAttempts: 2,
        retryIntervalInMinutes: 30,
        gmtZone: 'Europe/Moscow',
        allowedDays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        allowedTime: { default: [{ localTimeFrom: '09:00', localTimeTo: '21:00' }] },
      },
    });
    expect(typeof job?.job.finishDateTime).toBe('string');
    expect((await rt.store.get(callId))?.backend_id).toBe(String(job?.id));
    expect(placed.attempts).toBe(1);
    expect(report.finished).toBe(1);
    expect((await getCall(rt.bridgeUrl, callId)).body).toMatchObject({
      status: 'completed',
      outcome: { answered: true },
    });
  });

  it('answers a later resend of a delivery as a duplicate, the job still ending at the first one plus the maximum age', async () => {
    let now = moscowNoonTomorrow();
    const received = now.getTime();
    const { rt, jaicp } = await start(60_000, () => now);

    const first = await postHook(rt.bridgeUrl, 'bot-confirm', order('A-9'));
    await waitForStatus(rt.bridgeUrl, String(first.body.call_id), 'placed');
    now = new Date(received + 10 * 60_000);
    const resend = await postHook(rt.bridgeUrl, 'bot-confirm', order('A-9'));

    expect(first.status).toBe(202);
    expect(resend).toMatchObject({
      status: 200,
      body: { call_id: first.body.call_id, duplicate: true },
    });
    expect(jaicp.jobs()).toHaveLength(1);
    expect(jaicp.jobs()[0]?.job.finishDateTime).toBe(
      new Date(received + 1440 * 60_000).toISOString(),
    );
  });

  it('creates one job for 30 concurrent deliveries of one event', async () => {
    const { rt, jaicp } = await start(60_000);

    const answers = await Promise.all(
      Array.from({ length: 30 }, () => postHook(rt.bridgeUrl, 'bot-confirm', order('A-2'))),
    );
    await queueIdle(rt.queue);

    expect(new Set(answers.map((a) => a.body.call_id)).size).toBe(1);
    expect(jaicp.jobs()).toHaveLength(1);
  });

  it('sends an ambiguous request again under the same key: one job, and the call placed', async () => {
    const { rt, jaicp } = await start(60_000);
    jaicp.injectFault({ fault: { mode: 'drop_after' }, method: 'addPhones', times: 1 });

    const callId = String((await postHook(rt.bridgeUrl, 'bot-confirm', order('A-3'))).body.call_id);
    const view = await waitForStatus(rt.bridgeUrl, callId, 'placed');

    expect(jaicp.requestCount('addPhones')).toBe(2);
    expect(jaicp.jobs()).toHaveLength(1);
    expect(view.attempts).toBe(2);
    expect((await rt.store.get(callId))?.backend_id).toBe(String(jaicp.jobs()[0]?.id));
  });

  it('polls the report until the job reaches a final state', async () => {
    let clock = moscowNoonTomorrow();
    const { rt } = await start(120_000, () => clock);
    const callId = String((await postHook(rt.bridgeUrl, 'bot-confirm', order('A-4'))).body.call_id);
    await waitForStatus(rt.bridgeUrl, callId, 'placed');

    const early = await rt.sweep();
    clock = new Date(clock.getTime() + 121_000);
    const late = await rt.sweep();

    expect(early.finished).toBe(0);
    expect(late.finished).toBe(1);
    expect((await getCall(rt.bridgeUrl, callId)).body).toMatchObject({
      status: 'completed',
      outcome: { answered: true, duration_s: 120 },
    });
  });

  it('asks about a job waiting for its calling window when the window opens, not every poll', async () => {
    // 19:00 UTC is 22:00 in Moscow: the order came in after the window closed at 21:00.
    let clock = moscowNoonTomorrow();
    clock.setUTCHours(19);
    const { rt, jaicp } = await start(60_000, () => clock);
    const callId = String((await postHook(rt.bridgeUrl, 'bot-confirm', order('A-6'))).body.call_id);
    await waitForStatus(rt.bridgeUrl, callId, 'placed');

    // A sweep every five minutes through the night, until 09:05 in Moscow.
    for (let sweep = 0; sweep < 133; sweep += 1) {
      clock = new Date(clock.getTime() + 5 * 60_000);
      await rt.sweep();
    }

    expect((await getCall(rt.bridgeUrl, callId)).body).toMatchObject({ status: 'completed' });
    // At 09:00 the job is dialling, at 09:05 it is over: two looks instead of 133.
    expect(jaicp.requestCount('callJob/getReport')).toBe(2);
  });

  it('cancels a job that has not rung yet', async () => {
    // 03:00 UTC is 06:00 in Moscow: the job waits for the 09:00 window.
    const early = moscowNoonTomorrow();
    early.setUTCHours(3);
    const { rt, jaicp } = await start(60_000, () => early);
    const callId = String((await postHook(rt.bridgeUrl, 'bot-confirm', order('A-5'))).body.call_id);
    await waitForStatus(rt.bridgeUrl, callId, 'placed');

    const cancelled = await postCallAction(rt.bridgeUrl, callId, 'cancel');

    expect(cancelled).toMatchObject({ status: 200, body: { status: 'cancelled' } });
    expect(jaicp.jobs()[0]?.cancelled).toBe(true);
    expect(jaicp.requestCount('callJob/cancel')).toBe(1);
  });
});
