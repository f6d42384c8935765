import { afterEach, describe, expect, it } from 'vitest';
import { SIMULATOR_DEMO_KEY } from '../../infra/local/runtime.ts';
import { CallApiClient } from '../../shared/backends/callapi/api/client.ts';
import type { CallRecord } from '../../shared/calls/call-record.ts';
import { callIdFor } from '../../shared/calls/idempotency.ts';
import { parseConfig } from '../../shared/config/load.ts';
import type { CallhookConfig } from '../../shared/config/schema.ts';
import { sessionKeyOf } from '../../shared/dispatch/session-key.ts';
import { queuedRecord } from '../support/dispatch.ts';
import { getCall, postCallAction, postHook, waitForStatus } from '../support/http.ts';
import {
  queueIdle,
  shippedConfig,
  startTestRuntime,
  type TestRuntime,
} from '../support/runtime.ts';

const NO_WAIT_TIMING = {
  lostMessageGraceMs: 60_000,
  reconcileAfterMs: 0,
  maxReconciliations: 3,
  pollAfterMs: 0,
};

/** The shipped config with its `callback` route changed by `change`. */
const configWith = async (
  change: (route: Record<string, unknown>) => Record<string, unknown>,
): Promise<CallhookConfig> => {
  const shipped = JSON.parse(JSON.stringify(await shippedConfig())) as {
    routes: { callback: Record<string, unknown> };
  };
  shipped.routes.callback = change(shipped.routes.callback);
  return parseConfig(shipped, 'test');
};

/** 03:00 UTC tomorrow: 06:00 in Moscow, before a 09:00–21:00 window. */
const earlyTomorrow = (): Date => {
  const early = new Date();
  early.setUTCDate(early.getUTCDate() + 1);
  early.setUTCHours(3, 0, 0, 0);
  return early;
};

const moscowDaytimeConfig = () =>
  configWith((route) => ({
    ...route,
    calling_hours: { time_zone: 'Europe/Moscow', from: '09:00', to: '21:00' },
  }));

describe('Reliable dispatch through the local runtime', () => {
  let runtime: TestRuntime | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  const start = async (options: Parameters<typeof startTestRuntime>[0] = {}) => {
    runtime = await startTestRuntime({ sweepIntervalMs: 0, timing: NO_WAIT_TIMING, ...options });
    return runtime;
  };

  const accept = async (rt: TestRuntime, key: string, phone = '+79260000001') => {
    const answer = await postHook(
      rt.bridgeUrl,
      'callback',
      { phone },
      {
        headers: { 'idempotency-key': key },
      },
    );
    expect(answer.status).toBe(202);
    return String(answer.body.call_id);
  };

  const callsFor = (rt: TestRuntime, callId: string) =>
    rt.simulator.calls().filter((call) => call.params.external_id === callId);

  /** Another client of the same account spends points, as a second integration would. */
  const spendPoints = async (rt: TestRuntime, count: number) => {
    const client = new CallApiClient({ endpoint: new URL(`${rt.simulator.url}/v4.0`) });
    for (let i = 0; i < count; i += 1) {
      await client.call(
        'start.informer_call',
        {
          virtual_phone_number: '74993720692',
          contact: `7926111000${i}`,
          contact_message: { type: 'tts', value: 'points' },
        },
        SIMULATOR_DEMO_KEY,
      );
    }
  };

  it('turns a claim whose dispatcher died into unknown, and never dials it', async () => {
    const rt = await start();
    const abandoned = callIdFor('callback', 'header', 'abandoned');
    // A dispatcher claimed the call and died before sending: the lease is all that is left.
    const at = new Date(Date.now() - 120_000).toISOString();
    const record: CallRecord = {
      ...queuedRecord(abandoned, 5),
      account: 'demo',
      status: 'dialing',
      attempts: 1,
      lease_owner: 'dead-dispatcher',
      lease_expires_at: at,
      sweep_at: at,
      history: [{ status: 'dialing', at }],
      version: 2,
      created_at: at,
      updated_at: at,
    };
    await rt.store.create(record, new Date());

    const report = await rt.sweep();
    await rt.queue.send({ call_id: abandoned });
    await queueIdle(rt.queue);

    expect(report.abandoned).toBe(1);
    const view = (await getCall(rt.bridgeUrl, abandoned)).body;
    expect(view).toMatchObject({ status: 'unknown', error: { reason: 'lease_expired' } });
    expect(rt.simulator.requestCount('start.simple_call')).toBe(0);
  });

  it('reconciles a call whose reply was lost to placed, through list.calls, dialled once', async () => {
    const rt = await start();
    rt.simulator.injectFault({
      fault: { mode: 'drop_after' },
      method: 'start.simple_call',
      times: 1,
    });

    const callId = await accept(rt, 'drop-after');
    await waitForStatus(rt.bridgeUrl, callId, 'unknown');
    const report = await rt.sweep();

    expect(report.reconciled).toBe(1);
    const [placed] = callsFor(rt, callId);
    const view = await waitForStatus(rt.bridgeUrl, callId, 'placed');
    expect(view.call_session_id).toBe(placed?.call_session_id);
    expect(rt.simulator.requestCount('start.simple_call')).toBe(1);
    const stored = await rt.store.get(callId);
    expect(stored?.session_key).toBe(sessionKeyOf('demo', Number(placed?.call_session_id)));
  });

  it('leaves an unknown call for an operator after the last look finds nothing', async () => {
    const rt = await start({ timing: { ...NO_WAIT_TIMING, maxReconciliations: 2 } });
    rt.simulator.injectFault({
      fault: { mode: 'drop_after' },
      method: 'start.simple_call',
      times: 1,
    });
    const callId = await accept(rt, 'drop-after-ended');
    await waitForStatus(rt.bridgeUrl, callId, 'unknown');
    // The call ended before anyone looked: list.calls no longer shows it.
    expect(callsFor(rt, callId)).toHaveLength(1);
    rt.simulator.reset();

    await rt.sweep();
    await rt.sweep();
    await rt.sweep();

    const stored = await rt.store.get(callId);
    expect(stored).toMatchObject({ status: 'unknown', reconciliations: 2 });
    expect(stored).not.toHaveProperty('sweep_at');
    expect(rt.simulator.requestCount('start.simple_call')).toBe(0);
  });

  it('defers a call refused with -32029 to the minute reset, then places it as one attempt', async () => {
    const rt = await start({ simulator: { minuteLimit: 2, timeScale: 60 } });
    await spendPoints(rt, 2);

    const callId = await accept(rt, 'minute-limit');
    const view = await waitForStatus(rt.bridgeUrl, callId, 'placed');

    expect(view.attempts).toBe(1);
    expect(view.history).toContainEqual(
      expect.objectContaining({
        status: 'queued',
        reason: expect.stringContaining('limit_exceeded'),
      }),
    );
    expect(callsFor(rt, callId)).toHaveLength(1);
  });

  it("paces a burst to the account's points: every call placed once", async () => {
    const rt = await start({ simulator: { minuteLimit: 3, timeScale: 60 } });
    // One call teaches the shared budget the account's limits.
    await waitForStatus(rt.bridgeUrl, await accept(rt, 'teacher'), 'placed');

    const ids = await Promise.all(
      Array.from({ length: 8 }, (_, i) => accept(rt, `burst-${i}`, `+7926000010${i}`)),
    );
    await queueIdle(rt.queue);

    const views = await Promise.all(ids.map(async (id) => (await getCall(rt.bridgeUrl, id)).body));
    expect(views.map((v) => v.status)).toEqual(ids.map(() => 'placed'));
    expect(views.map((v) => v.attempts)).toEqual(ids.map(() => 1));
    for (const id of ids) expect(callsFor(rt, id)).toHaveLength(1);
    // Deferred by the budget, not refused by the provider: at most the first window's guesses.
    const refused = rt.simulator.requestCount('start.simple_call') - 9;
    expect(refused).toBeLessThanOrEqual(2);
  });

  it('schedules a call when the day points are spent, and places it after the day resets', async () => {
    let offsetMs = 0;
    const now = () => new Date(Date.now() + offsetMs);
    const rt = await start({
      now,
      simulator: { dayLimit: 1, now: () => now().getTime() },
    });
    await spendPoints(rt, 1);

    const callId = await accept(rt, 'day-limit');
    const scheduled = await waitForStatus(rt.bridgeUrl, callId, 'scheduled');
    expect(scheduled.attempts).toBe(0);
    expect(await rt.sweep()).toMatchObject({ released: 0 });

    offsetMs = 86_400_000 + 1_000;
    expect(await rt.sweep()).toMatchObject({ released: 1 });
    await waitForStatus(rt.bridgeUrl, callId, 'placed');
    expect(callsFor(rt, callId)).toHaveLength(1);
  });

  it('schedules an event outside calling hours and places it when the window opens', async () => {
    const early = earlyTomorrow();
    let clock = early;
    const rt = await start({ now: () => clock, config: await moscowDaytimeConfig() });

    const answer = await postHook(rt.bridgeUrl, 'callback', { phone: '+79260000003' });
    const callId = String(answer.body.call_id);
    const opens = new Date(early.getTime() + 3 * 3_600_000).toISOString();
    expect(answer).toMatchObject({ status: 202, body: { status: 'scheduled', due_at: opens } });
    expect(await rt.sweep()).toMatchObject({ released: 0 });

    clock = new Date(Date.parse(opens) + 1_000);
    expect(await rt.sweep()).toMatchObject({ released: 1 });

    await waitForStatus(rt.bridgeUrl, callId, 'placed');
    expect(callsFor(rt, callId)).toHaveLength(1);
  });

  it('holds an event that arrives on a holiday until the next working day', async () => {
    // 23 February 2027, a Tuesday and a holiday in Russia: 12:00 in Moscow.
    let clock = new Date('2027-02-23T09:00:00Z');
    const rt = await start({
      now: () => clock,
      config: await configWith((route) => ({
        ...route,
        calling_hours: {
          time_zone: 'Europe/Moscow',
          from: '09:00',
          to: '21:00',
          holidays: ['2027-02-23'],
        },
      })),
    });

    const answer = await postHook(rt.bridgeUrl, 'callback', { phone: '+79260000005' });
    const callId = String(answer.body.call_id);
    const opens = '2027-02-24T06:00:00.000Z';
    expect(answer).toMatchObject({ status: 202, body: { status: 'scheduled', due_at: opens } });
    clock = new Date('2027-02-23T17:59:00Z');
    expect(await rt.sweep()).toMatchObject({ released: 0 });

    clock = new Date(Date.parse(opens) + 1_000);
    expect(await rt.sweep()).toMatchObject({ released: 1 });
    await waitForStatus(rt.bridgeUrl, callId, 'placed');
    expect(callsFor(rt, callId)).toHaveLength(1);
  });

  it('fails a call not placed within the route maximum age as expired', async () => {
    let clock = new Date();
    const rt = await start({
      now: () => clock,
      config: await configWith((route) => ({
        ...route,
        max_age_minutes: 60,
        calling_hours: { time_zone: 'UTC', from: '00:00', to: '00:01' },
      })),
    });
    clock = new Date(`${clock.toISOString().slice(0, 10)}T12:00:00Z`);
    const answer = await postHook(rt.bridgeUrl, 'callback', { phone: '+79260000004' });
    const callId = String(answer.body.call_id);

    clock = new Date(clock.getTime() + 12 * 3_600_000 + 30_000);
    await rt.sweep();
    const view = await waitForStatus(rt.bridgeUrl, callId, 'failed');

    expect(view.error).toMatchObject({ reason: 'expired' });
    expect(rt.simulator.requestCount('start.simple_call')).toBe(0);
  });

  it('logs in again once when the session expires mid-burst, and fails no call', async () => {
    const rt = await start({
      secrets: { 'demo/callapi': { login: 'robot', password: 'secret' } },
      simulator: { logins: { robot: 'secret' } },
    });
    const first = await Promise.all(
      Array.from({ length: 5 }, (_, i) => accept(rt, `before-${i}`, `+7926000020${i}`)),
    );
    await queueIdle(rt.queue);

    rt.simulator.expireSessions();
    const second = await Promise.all(
      Array.from({ length: 5 }, (_, i) => accept(rt, `after-${i}`, `+7926000030${i}`)),
    );
    await queueIdle(rt.queue);

    for (const id of [...first, ...second]) {
      expect((await getCall(rt.bridgeUrl, id)).body.status).toBe('placed');
    }
    expect(rt.simulator.requestCount('login.user')).toBe(2);
  });

  it('cancels a scheduled call: it is never dialled, and a second cancel is refused', async () => {
    const early = earlyTomorrow();
    let clock = early;
    const rt = await start({ now: () => clock, config: await moscowDaytimeConfig() });
    const callId = String(
      (await postHook(rt.bridgeUrl, 'callback', { phone: '+79260000005' })).body.call_id,
    );

    const cancelled = await postCallAction(rt.bridgeUrl, callId, 'cancel');
    const again = await postCallAction(rt.bridgeUrl, callId, 'cancel');
    clock = new Date(early.getTime() + 4 * 3_600_000);
    await rt.sweep();
    await queueIdle(rt.queue);

    expect(cancelled).toMatchObject({ status: 200, body: { status: 'cancelled' } });
    expect(again).toMatchObject({ status: 409, body: { code: 'not_cancellable' } });
    expect(rt.simulator.requestCount('start.simple_call')).toBe(0);
  });

  it('hangs up a placed call that is still active with release.call', async () => {
    const rt = await start();
    const callId = await accept(rt, 'release-me');
    await waitForStatus(rt.bridgeUrl, callId, 'placed');

    const released = await postCallAction(rt.bridgeUrl, callId, 'cancel');
    const again = await postCallAction(rt.bridgeUrl, callId, 'cancel');

    // Nobody had answered it: `cancelled`, with the hang-up on its history.
    expect(released).toMatchObject({ status: 200, body: { status: 'cancelled' } });
    expect((released.body.history as { reason?: string }[]).at(-1)?.reason).toMatch(/hung up/);
    expect(rt.simulator.requestCount('release.call')).toBe(1);
    expect(again).toMatchObject({ status: 409, body: { code: 'not_cancellable' } });
  });

  it('retries an unknown call only when an operator asks, and records who asked', async () => {
    const rt = await start();
    rt.simulator.injectFault({
      fault: { mode: 'drop_after' },
      method: 'start.simple_call',
      times: 1,
    });
    const callId = await accept(rt, 'retry-me');
    await waitForStatus(rt.bridgeUrl, callId, 'unknown');
    await queueIdle(rt.queue);
    expect(rt.simulator.requestCount('start.simple_call')).toBe(1);

    const retried = await postCallAction(rt.bridgeUrl, callId, 'retry');
    const view = await waitForStatus(rt.bridgeUrl, callId, 'placed');
    const again = await postCallAction(rt.bridgeUrl, callId, 'retry');

    expect(retried).toMatchObject({ status: 200, body: { status: 'queued' } });
    expect(view.history).toContainEqual(
      expect.objectContaining({
        status: 'queued',
        reason: expect.stringMatching(/^retry requested by an operator \(request .+\)$/),
      }),
    );
    // The retry is an attempt of its own: placed under its own external id, so nothing the
    // provider says later of the lost first attempt can be taken for it.
    expect(callsFor(rt, callId)).toHaveLength(1);
    expect(callsFor(rt, `${callId}-2`)).toHaveLength(1);
    expect(view).toMatchObject({
      attempt: 2,
      dials: [
        { attempt: 1, went_unknown: true },
        { attempt: 2, cause: 'retry' },
      ],
    });
    expect(again).toMatchObject({ status: 409, body: { code: 'not_retryable' } });
  });

  it('refuses cancel and retry without the admin key', async () => {
    const rt = await start();
    const callId = await accept(rt, 'no-key');

    const cancel = await postCallAction(rt.bridgeUrl, callId, 'cancel', 'wrong');
    const retry = await postCallAction(rt.bridgeUrl, callId, 'retry', 'wrong');

    expect(cancel).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
    expect(retry).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
  });
});
