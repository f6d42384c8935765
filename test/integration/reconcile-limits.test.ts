import { afterEach, describe, expect, it } from 'vitest';
import { SIMULATOR_DEMO_KEY } from '../../infra/local/runtime.ts';
import { CallApiClient } from '../../shared/backends/callapi/api/client.ts';
import { getCall, postHook, waitForStatus } from '../support/http.ts';
import { queueIdle, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const TIMING = {
  lostMessageGraceMs: 60_000,
  reconcileAfterMs: 0,
  maxReconciliations: 3,
  pollAfterMs: 0,
};
const MINUTE_MS = 60_000;

/**
 * A draining burst: the account's minute points are spent while a call whose reply was lost
 * waits `unknown`. The call was placed; reconciliation must find it once points are back, not
 * spend its looks on `-32029 limit_exceeded` and leave it for an operator (whose retry would ring
 * the customer a second time).
 */
describe('Reconciliation under the points limit', () => {
  let runtime: TestRuntime | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  /**
   * The runtime and the simulator on one clock that the test moves ahead to reach the minute's
   * reset (the Call API client dates the limits it reads by the real clock, so this clock runs
   * with it). Calls stay active far longer than the test.
   */
  const start = async (minuteLimit: number) => {
    let offsetMs = 0;
    const now = () => new Date(Date.now() + offsetMs);
    runtime = await startTestRuntime({
      sweepIntervalMs: 0,
      timing: TIMING,
      now,
      simulator: { minuteLimit, callDurationMs: 3_600_000, now: () => now().getTime() },
    });
    return {
      rt: runtime,
      now,
      advance: (ms: number) => {
        offsetMs += ms;
      },
    };
  };

  /** How far ahead the record's next look is: about a minute when it waits for the reset. */
  const nextLookIn = (record: { sweep_at?: string } | undefined, now: Date) =>
    Date.parse(record?.sweep_at ?? '') - now.getTime();

  const accept = async (rt: TestRuntime, key: string, phone: string) => {
    const answer = await postHook(
      rt.bridgeUrl,
      'callback',
      { phone },
      { headers: { 'idempotency-key': key } },
    );
    expect(answer.status).toBe(202);
    return String(answer.body.call_id);
  };

  /** A call the provider places but whose reply never arrives: `unknown`, yet ringing. */
  const lostReply = async (rt: TestRuntime) => {
    rt.simulator.injectFault({
      fault: { mode: 'drop_after' },
      method: 'start.simple_call',
      times: 1,
    });
    const callId = await accept(rt, 'lost-reply', '+79260000001');
    await waitForStatus(rt.bridgeUrl, callId, 'unknown');
    await queueIdle(rt.queue);
    const placed = rt.simulator.calls().filter((call) => call.params.external_id === callId);
    expect(placed).toHaveLength(1);
    return { callId, sessionId: placed[0]?.call_session_id };
  };

  it('waits for the reset when the shared budget has no points, without using a look', async () => {
    const { rt, now, advance } = await start(2);
    // One placed call teaches the budget the account's limits (1 of 2 left); the lost one takes
    // the last point, at the provider as in the budget.
    await waitForStatus(rt.bridgeUrl, await accept(rt, 'teacher', '+79260000002'), 'placed');
    const { callId, sessionId } = await lostReply(rt);

    // The burst goes on: every sweep before the reset finds no points to look with.
    for (let sweep = 0; sweep < TIMING.maxReconciliations; sweep += 1) await rt.sweep();

    const waiting = await rt.store.get(callId);
    expect(waiting).toMatchObject({ status: 'unknown', reconciliations: 0 });
    expect(nextLookIn(waiting, now())).toBeGreaterThan(MINUTE_MS - 5_000);
    expect(nextLookIn(waiting, now())).toBeLessThanOrEqual(MINUTE_MS + 1_000);
    expect(rt.simulator.requestCount('list.calls')).toBe(0);

    advance(MINUTE_MS + 2_000);
    const report = await rt.sweep();

    expect(report.reconciled).toBe(1);
    const view = (await getCall(rt.bridgeUrl, callId)).body;
    expect(view).toMatchObject({ status: 'placed', call_session_id: sessionId });
    expect(rt.simulator.requestCount('list.calls')).toBe(1);
    expect(rt.simulator.requestCount('start.simple_call')).toBe(2);
  });

  it('does not count a look the provider refused with -32029, and finds the call after the reset', async () => {
    const { rt, now, advance } = await start(2);
    const { callId, sessionId } = await lostReply(rt);
    // Another client of the account spends the last point: the budget cannot know.
    await new CallApiClient({ endpoint: new URL(`${rt.simulator.url}/v4.0`) }).call(
      'start.informer_call',
      {
        virtual_phone_number: '74993720692',
        contact: '79261110000',
        contact_message: { type: 'tts', value: 'points' },
      },
      SIMULATOR_DEMO_KEY,
    );

    for (let sweep = 0; sweep < TIMING.maxReconciliations; sweep += 1) await rt.sweep();

    const waiting = await rt.store.get(callId);
    expect(waiting).toMatchObject({ status: 'unknown', reconciliations: 0 });
    // The refusal's limits told the budget when the minute resets: the next look waits for it.
    expect(nextLookIn(waiting, now())).toBeGreaterThan(MINUTE_MS - 5_000);
    expect(nextLookIn(waiting, now())).toBeLessThanOrEqual(MINUTE_MS + 1_000);
    expect(rt.simulator.requestCount('list.calls')).toBe(1);

    advance(MINUTE_MS + 2_000);
    const report = await rt.sweep();

    expect(report.reconciled).toBe(1);
    const view = (await getCall(rt.bridgeUrl, callId)).body;
    expect(view).toMatchObject({ status: 'placed', call_session_id: sessionId });
    expect(rt.simulator.requestCount('list.calls')).toBe(2);
    expect(rt.simulator.requestCount('start.simple_call')).toBe(1);
  });
});
