import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { SIMULATOR_DEMO_DATA_KEY } from '../../infra/local/runtime.ts';
import { TABLES } from '../../shared/adapters/dynamodb/tables.ts';
import { DataApiClient } from '../../shared/backends/callapi/data-api/client.ts';
import { DataApiReports } from '../../shared/backends/callapi/data-api/reports.ts';
import { parseConfig } from '../../shared/config/load.ts';
import { startClockedRuntime } from '../support/clocked-runtime.ts';
import { DEMO_ACCOUNT } from '../support/configs.ts';
import { getCall, postCallAction, postHook, waitForStatus } from '../support/http.ts';
import { createContractChecker, readOpenApi } from '../support/openapi.ts';
import { EVENTS_TOKEN, queueIdle, type TestRuntime } from '../support/runtime.ts';

const contract = createContractChecker(readOpenApi());

const MINUTE = 60_000;
const REDIAL = { on: ['no_answer', 'busy', 'operator_missed'], max: 2, after_minutes: 10 };

/** A config whose demo account has a Data API key, and one route on it. */
const configWith = (
  route: Record<string, unknown>,
  { events = false, perNumber = 3 }: { events?: boolean; perNumber?: number } = {},
) =>
  parseConfig(
    {
      accounts: {
        demo: {
          ...DEMO_ACCOUNT,
          data_api: { secret: 'demo/dataapi' },
          ...(events && { events_secret: 'demo/events-token' }),
        },
      },
      routes: {
        callback: {
          account: 'demo',
          auth: { type: 'token', secret: 'demo/hook-token' },
          call: {
            method: 'start.simple_call',
            contact: 'phone',
            params: { first_call: 'operator', operator: '74951234567' },
          },
          ...route,
        },
      },
      per_number_daily_limit: perNumber,
    },
    'outcomes test',
  );

/**
 * Outcomes read from the Data API, and redials, through the local runtime: dynalite, the
 * dispatch queue, the sweeper run on demand, and the simulator over HTTP answering both the Call
 * API and the Data API. One clock, which the test moves, runs the runtime and the simulator (it
 * runs on with the real one too, as the clients date the limits they read by it). Simulated
 * calls last a minute unless a fate says otherwise.
 */
describe('Outcomes from the Data API, and redials', () => {
  let runtime: TestRuntime | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  const start = async (
    config: ReturnType<typeof configWith>,
    options: { base?: number; dataMinuteLimit?: number } = {},
  ) => {
    const clocked = await startClockedRuntime(config, options);
    runtime = clocked.rt;
    return clocked;
  };

  const accept = async (rt: TestRuntime, phone: string) => {
    const answer = await postHook(rt.bridgeUrl, 'callback', { phone });
    expect(answer.status).toBe(202);
    const callId = String(answer.body.call_id);
    await waitForStatus(rt.bridgeUrl, callId, 'placed');
    return callId;
  };

  const placedCalls = (rt: TestRuntime, callId: string) =>
    rt.simulator.calls().filter((call) => String(call.params.external_id).startsWith(callId));

  /** Past the simulated call's minute and the first look at its report (two minutes). */
  const UNTIL_REPORTED = 2 * MINUTE + 5_000;

  it('redials a call nobody answered after 10 minutes, and stops once the customer talked', async () => {
    const { rt, now, advance, sweep } = await start(configWith({ redial: REDIAL }));
    rt.simulator.setOutcome({ contact: '79260000001', fate: 'no_answer', times: 1 });
    const callId = await accept(rt, '+79260000001');

    advance(UNTIL_REPORTED);
    const first = await sweep();

    expect(first.finished).toBe(1);
    const waiting = await rt.store.get(callId);
    expect(waiting).toMatchObject({ status: 'scheduled', redials: 1 });
    // The first attempt with its report; the second, a redial, still to be made.
    expect(waiting?.dials?.map((a) => [a.attempt, a.cause, a.outcome?.result])).toEqual([
      [1, undefined, 'no_answer'],
      [2, 'redial', undefined],
    ]);
    const endedAt = Date.parse(waiting?.dials?.[0]?.outcome?.ended_at ?? '');
    expect(Date.parse(waiting?.due_at ?? '') - endedAt).toBe(10 * MINUTE);
    // Not before its time: a sweep now places nothing.
    await sweep();
    expect(placedCalls(rt, callId)).toHaveLength(1);

    advance(10 * MINUTE);
    const released = await sweep();

    expect(released.released).toBe(1);
    await waitForStatus(rt.bridgeUrl, callId, 'placed');
    expect(placedCalls(rt, callId).map((call) => call.params.external_id)).toEqual([
      callId,
      `${callId}-2`,
    ]);

    advance(UNTIL_REPORTED);
    await sweep();

    const answer = await getCall(rt.bridgeUrl, callId);
    const detail = answer.body;
    expect(detail).toMatchObject({
      status: 'completed',
      outcome: { result: 'talked', reported_by: 'report', answered: true },
    });
    // The answer, report entries and all, is one the published HTTP contract describes.
    expect(
      contract.check('GET', '/calls/{call_id}', {
        status: answer.status,
        headers: answer.headers,
        text: JSON.stringify(detail),
      }),
    ).toEqual([]);
    const reports = (detail.timeline as { type: string }[]).filter(
      (entry) => entry.type === 'report',
    );
    expect(reports).toMatchObject([
      { attempt: 1, result: 'no_answer', finish_reason: 'subscriber_not_responsible' },
      { attempt: 2, result: 'talked' },
    ]);
    expect((await rt.store.get(callId))?.redials).toBe(1);
    // The chain is over: hours later, still two calls.
    advance(60 * MINUTE);
    await sweep();
    expect(placedCalls(rt, callId)).toHaveLength(2);
    expect(now().getTime()).toBeGreaterThan(endedAt);
  });

  it('makes at most `max` redials', async () => {
    const { rt, advance, sweep } = await start(configWith({ redial: { ...REDIAL, max: 1 } }));
    rt.simulator.setOutcome({ contact: '79260000002', fate: 'busy' });
    const callId = await accept(rt, '+79260000002');

    for (let round = 0; round < 3; round += 1) {
      advance(UNTIL_REPORTED);
      await sweep();
      advance(10 * MINUTE);
      await sweep();
    }

    expect(placedCalls(rt, callId)).toHaveLength(2);
    const record = await rt.store.get(callId);
    expect(record).toMatchObject({ status: 'completed', outcome: { result: 'busy' } });
    expect(record?.history.at(-1)?.reason).toMatch(/no redial: all 1 made$/);
  });

  it('redials at the next opening of the calling hours, not outside them', async () => {
    // 20:52 in Moscow tomorrow (near the real date: records expire by the real clock): the
    // redial's 10 minutes would end after 21:00.
    const evening = DateTime.now()
      .setZone('Europe/Moscow')
      .plus({ days: 1 })
      .set({ hour: 20, minute: 52, second: 0, millisecond: 0 });
    const base = evening.toMillis();
    const nextMorning = evening.plus({ days: 1 }).set({ hour: 9, minute: 0 });
    const { rt, now, advance, sweep } = await start(
      configWith({
        redial: REDIAL,
        calling_hours: { time_zone: 'Europe/Moscow', from: '09:00', to: '21:00' },
      }),
      { base },
    );
    rt.simulator.setOutcome({ contact: '79260000003', fate: 'no_answer', times: 1 });
    const callId = await accept(rt, '+79260000003');

    advance(UNTIL_REPORTED);
    await sweep();

    const waiting = await rt.store.get(callId);
    expect(waiting).toMatchObject({ status: 'scheduled', due_at: nextMorning.toUTC().toISO() });
    advance(nextMorning.toMillis() - MINUTE - now().getTime());
    await sweep();
    expect(placedCalls(rt, callId)).toHaveLength(1);

    advance(2 * MINUTE);
    await sweep();
    await waitForStatus(rt.bridgeUrl, callId, 'placed');
    expect(placedCalls(rt, callId)).toHaveLength(2);
  });

  it('does not redial a number at its daily cap, nor past max_age_minutes', async () => {
    const capped = await start(configWith({ redial: REDIAL }, { perNumber: 1 }));
    capped.rt.simulator.setOutcome({ fate: 'no_answer' });
    const cappedId = await accept(capped.rt, '+79260000004');
    capped.advance(UNTIL_REPORTED);
    await capped.sweep();

    const atCap = await capped.rt.store.get(cappedId);
    expect(atCap).toMatchObject({ status: 'completed', outcome: { result: 'no_answer' } });
    expect(atCap?.history.at(-1)?.reason).toMatch(/no redial: the number has had its 1 calls/);
    capped.advance(10 * MINUTE);
    await capped.sweep();
    expect(placedCalls(capped.rt, cappedId)).toHaveLength(1);
    await capped.rt.stop();
    runtime = undefined;

    const aged = await start(configWith({ redial: REDIAL, max_age_minutes: 5 }));
    aged.rt.simulator.setOutcome({ fate: 'no_answer' });
    const agedId = await accept(aged.rt, '+79260000005');
    aged.advance(UNTIL_REPORTED);
    await aged.sweep();

    const old = await aged.rt.store.get(agedId);
    expect(old).toMatchObject({ status: 'completed', outcome: { result: 'no_answer' } });
    expect(old?.history.at(-1)?.reason).toMatch(/no redial: it would come after max_age_minutes/);
    aged.advance(10 * MINUTE);
    await aged.sweep();
    expect(placedCalls(aged.rt, agedId)).toHaveLength(1);
  });

  it('counts a scheduled redial against the cap when a new event for the number arrives', async () => {
    const { rt, advance, sweep } = await start(configWith({ redial: REDIAL }, { perNumber: 2 }));
    rt.simulator.setOutcome({ contact: '79260000013', fate: 'no_answer', times: 1 });
    const callId = await accept(rt, '+79260000013');
    advance(UNTIL_REPORTED);
    await sweep();
    expect(await rt.store.get(callId)).toMatchObject({ status: 'scheduled', redials: 1 });

    // Long enough for ingest to take any entry whose call was never stored for an orphan.
    advance(5 * MINUTE);
    const another = await postHook(rt.bridgeUrl, 'callback', { phone: '+79260000013', n: 2 });

    // The first attempt and its redial are the number's 2 calls: the redial is no orphan.
    expect(another.status).toBe(429);
    expect(another.body).toMatchObject({ code: 'contact_rate_limited' });
  });

  it('stops the chain when an operator cancels the call waiting for its redial', async () => {
    const { rt, advance, sweep } = await start(configWith({ redial: REDIAL }));
    rt.simulator.setOutcome({ fate: 'no_answer' });
    const callId = await accept(rt, '+79260000006');
    advance(UNTIL_REPORTED);
    await sweep();
    expect((await rt.store.get(callId))?.status).toBe('scheduled');

    const cancelled = await postCallAction(rt.bridgeUrl, callId, 'cancel');
    advance(10 * MINUTE);
    await sweep();

    expect(cancelled.status).toBe(200);
    expect((await rt.store.get(callId))?.status).toBe('cancelled');
    expect(placedCalls(rt, callId)).toHaveLength(1);
  });

  const postEnded = (rt: TestRuntime, body: Record<string, unknown>) =>
    fetch(`${rt.bridgeUrl}/events/demo?token=${encodeURIComponent(EVENTS_TOKEN)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'ended', ...body }),
    }).then(async (response) => ({ status: response.status, body: await response.json() }));

  it('ignores a late notification of an earlier attempt once the call was redialled', async () => {
    const { rt, advance, sweep } = await start(configWith({ redial: REDIAL }, { events: true }));
    rt.simulator.setOutcome({ contact: '79260000011', fate: 'no_answer', times: 1 });
    const callId = await accept(rt, '+79260000011');
    const firstSession = (await rt.store.get(callId))?.call_session_id;
    advance(UNTIL_REPORTED);
    await sweep();
    advance(10 * MINUTE);
    await sweep();
    await waitForStatus(rt.bridgeUrl, callId, 'placed');

    const late = await postEnded(rt, { call_session_id: firstSession, external_id: callId });
    const secondSession = (await rt.store.get(callId))?.call_session_id;
    const current = await postEnded(rt, {
      call_session_id: secondSession,
      external_id: `${callId}-2`,
      talk_time_duration: 12,
    });

    // Kept on the first attempt, which it names; the call, on its second, does not move.
    expect(late.body).toMatchObject({ status: 'recorded', call_status: 'placed' });
    expect(secondSession).not.toBe(firstSession);
    expect(current.body).toMatchObject({ status: 'recorded', call_status: 'completed' });
  });

  it('stops a chain whose ended call still waits for its report when an operator cancels it', async () => {
    const { rt, advance, sweep } = await start(configWith({ redial: REDIAL }, { events: true }));
    rt.simulator.setOutcome({ fate: 'no_answer' });
    const callId = await accept(rt, '+79260000012');
    const sessionId = (await rt.store.get(callId))?.call_session_id;
    await postEnded(rt, { call_session_id: sessionId });

    const cancelled = await postCallAction(rt.bridgeUrl, callId, 'cancel');
    advance(UNTIL_REPORTED);
    await sweep();
    advance(10 * MINUTE);
    await sweep();

    // Its end was notified (unanswered), its report still to come: nothing more is dialled.
    expect(cancelled).toMatchObject({ status: 200, body: { status: 'cancelled' } });
    const record = await rt.store.get(callId);
    expect(record?.status).toBe('cancelled');
    expect(record?.history.at(-1)?.reason).toMatch(
      /cancelled by an operator .* after it had ended unanswered/,
    );
    expect(placedCalls(rt, callId)).toHaveLength(1);
  });

  it('stops the chain of a placed call that ended before its report was read when an operator cancels it', async () => {
    const { rt, advance, sweep } = await start(configWith({ redial: REDIAL }));
    rt.simulator.setOutcome({ fate: 'no_answer' });
    const callId = await accept(rt, '+79260000014');
    // The simulated call's minute is over: the provider has nothing left to hang up, and no
    // notification told callhook, so the call is still `placed`, its report not read yet.
    advance(90_000);

    const cancelled = await postCallAction(rt.bridgeUrl, callId, 'cancel');
    advance(UNTIL_REPORTED);
    await sweep();
    advance(10 * MINUTE);
    await sweep();

    expect(cancelled.status).toBe(200);
    const record = await rt.store.get(callId);
    expect(record).toMatchObject({ status: 'completed', outcome: { result: 'no_answer' } });
    expect(record?.history.at(-1)?.reason).toMatch(/no redial: cancelled by an operator/);
    expect(placedCalls(rt, callId)).toHaveLength(1);
  });

  it('completes an unknown call the report found, and never redials it', async () => {
    const { rt, advance, sweep } = await start(configWith({ redial: REDIAL }));
    // The reply is lost, and the call is over (1 s) before list.calls can see it.
    rt.simulator.injectFault({
      fault: { mode: 'drop_after' },
      method: 'start.simple_call',
      times: 1,
    });
    rt.simulator.setOutcome({ fate: 'no_answer', wait_s: 1, talk_s: 0 });
    const answer = await postHook(rt.bridgeUrl, 'callback', { phone: '+79260000007' });
    const callId = String(answer.body.call_id);
    await waitForStatus(rt.bridgeUrl, callId, 'unknown');
    await queueIdle(rt.queue);
    advance(15_000);

    const report = await sweep();

    expect(report.reconciled).toBe(1);
    const found = await rt.store.get(callId);
    expect(found).toMatchObject({
      status: 'completed',
      call_session_id: placedCalls(rt, callId)[0]?.call_session_id,
      outcome: { result: 'no_answer', reported_by: 'report' },
    });
    expect(found?.history.at(-1)?.reason).toMatch(/^found in the report; report: no_answer/);
    advance(60 * MINUTE);
    await sweep();
    expect(placedCalls(rt, callId)).toHaveLength(1);
  });

  /** A call redialled once, its redial sent and its reply lost: `unknown` on attempt 2. */
  const redialGoneUnknown = async (phone: string, secondFate: Record<string, unknown>) => {
    const started = await start(configWith({ redial: REDIAL }));
    const { rt, advance, sweep } = started;
    const contact = phone.slice(1);
    rt.simulator.setOutcome({ contact, fate: 'no_answer', times: 1 });
    rt.simulator.setOutcome({ contact, fate: 'talked', times: 1, ...secondFate });
    const callId = await accept(rt, phone);
    advance(UNTIL_REPORTED);
    await sweep();
    rt.simulator.injectFault({
      fault: { mode: 'drop_after' },
      method: 'start.simple_call',
      times: 1,
    });
    advance(10 * MINUTE);
    await sweep();
    await waitForStatus(rt.bridgeUrl, callId, 'unknown');
    await queueIdle(rt.queue);
    const [first, second] = placedCalls(rt, callId);
    expect(second?.params.external_id).toBe(`${callId}-2`);
    return { ...started, callId, first, second };
  };

  it("finds a redial whose reply was lost among the active calls by that attempt's external id", async () => {
    const { rt, advance, sweep, callId, first, second } = await redialGoneUnknown(
      '+79260000015',
      {},
    );
    const reportLooks = rt.simulator.requestCount('get.calls_report');
    advance(15_000);

    const report = await sweep();

    expect(report.reconciled).toBe(1);
    expect(await rt.store.get(callId)).toMatchObject({
      status: 'placed',
      call_session_id: second?.call_session_id,
    });
    expect(second?.call_session_id).not.toBe(first?.call_session_id);
    // list.calls found it: the report was not needed.
    expect(rt.simulator.requestCount('get.calls_report')).toBe(reportLooks);
  });

  it("completes a redial whose reply was lost from that attempt's report, and never redials it", async () => {
    // The second attempt is over (1 s, nobody answered) before list.calls can see it.
    const { rt, advance, sweep, callId, second } = await redialGoneUnknown('+79260000016', {
      fate: 'no_answer',
      wait_s: 1,
      talk_s: 0,
    });
    advance(15_000);

    await sweep();

    const found = await rt.store.get(callId);
    expect(found).toMatchObject({
      status: 'completed',
      call_session_id: second?.call_session_id,
      outcome: { result: 'no_answer', reported_by: 'report' },
    });
    // Each attempt with its own session: the first's kept in its entry, the second's the call's.
    expect(found?.dials?.map((a) => [a.attempt, a.cause, a.call_session_id])).toEqual([
      [1, undefined, placedCalls(rt, callId)[0]?.call_session_id],
      [2, 'redial', undefined],
    ]);
    expect(placedCalls(rt, callId).map((call) => call.params.external_id)).toEqual([
      callId,
      `${callId}-2`,
    ]);
    advance(60 * MINUTE);
    await sweep();
    expect(placedCalls(rt, callId)).toHaveLength(2);
  });

  it('leaves an unknown call the report never shows for an operator once its window closes', async () => {
    const { rt, advance, sweep } = await start(configWith({ redial: REDIAL }));
    // The request is lost before the provider processed it: there is no call to find.
    rt.simulator.injectFault({
      fault: { mode: 'drop_before' },
      method: 'start.simple_call',
      times: 1,
    });
    const answer = await postHook(rt.bridgeUrl, 'callback', { phone: '+79260000008' });
    const callId = String(answer.body.call_id);
    await waitForStatus(rt.bridgeUrl, callId, 'unknown');
    await queueIdle(rt.queue);

    for (let look = 0; look < 40; look += 1) {
      advance(20 * MINUTE);
      await sweep();
    }

    const left = await rt.store.get(callId);
    expect(left?.status).toBe('unknown');
    expect(left?.sweep_at).toBeUndefined();
    expect(left?.history.at(-1)?.reason).toMatch(/left for an operator$/);
    expect(rt.simulator.calls()).toHaveLength(0);
    expect(rt.simulator.requestCount('get.calls_report')).toBeGreaterThan(3);
  });

  it('takes the report over a notification that disagrees', async () => {
    const { rt, advance, sweep } = await start(configWith({}, { events: true }));
    rt.simulator.setOutcome({ fate: 'no_answer' });
    const callId = await accept(rt, '+79260000009');
    const sessionId = (await rt.store.get(callId))?.call_session_id;

    // The template's numbers say the customer talked for 30 s.
    const posted = await fetch(
      `${rt.bridgeUrl}/events/demo?token=${encodeURIComponent(EVENTS_TOKEN)}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          event: 'ended',
          call_session_id: sessionId,
          talk_time_duration: 30,
        }),
      },
    );
    expect(posted.status).toBe(200);
    const notified = await rt.store.get(callId);
    expect(notified).toMatchObject({
      status: 'completed',
      outcome: { result: 'talked', reported_by: 'notification', duration_s: 30 },
    });

    advance(UNTIL_REPORTED);
    const report = await sweep();

    expect(report.confirmed).toBe(1);
    const confirmed = await rt.store.get(callId);
    expect(confirmed).toMatchObject({
      status: 'completed',
      outcome: { result: 'no_answer', reported_by: 'report', answered: false, talk_s: 0 },
    });
    expect(confirmed?.sweep_at).toBeUndefined();
    expect(confirmed?.history.at(-1)?.reason).toMatch(/the notification said talked$/);
  });

  it('pays for reports from the Data API budget and waits for its reset after -32029', async () => {
    const { rt, advance, sweep } = await start(configWith({}), { dataMinuteLimit: 2 });
    const callId = await accept(rt, '+79260000010');
    advance(UNTIL_REPORTED);
    // Another client of the key spends the Data API's minute.
    const other = new DataApiReports(
      new DataApiClient({ endpoint: new URL(`${rt.simulatorUrl}/v2.0`) }),
      SIMULATOR_DEMO_DATA_KEY,
    );
    const window = { from: new Date(0), till: new Date() };
    for (let i = 0; i < 2; i += 1) await other.session({ sessionId: 1 }, window);

    await sweep();

    const waiting = await rt.store.get(callId);
    expect(waiting?.status).toBe('placed');
    expect(waiting?.dials?.every((dial) => dial.outcome === undefined)).toBe(true);
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient(rt.dynamoClientConfig));
    const budget = async (account: string) =>
      (
        await documents.send(
          new GetCommand({ TableName: TABLES.limits.defaultName, Key: { account } }),
        )
      ).Item;
    // The refusal's limits are the Data API budget's, beside (not in) the Call API's.
    expect(await budget('demo#dataapi')).toMatchObject({ minute_limit: 2, minute_remaining: 0 });
    expect(await budget('demo')).toMatchObject({ minute_limit: 600 });
    const resetIn = Date.parse(waiting?.sweep_at ?? '') - Date.now();
    expect(resetIn).toBeLessThanOrEqual(MINUTE + 1_000);
    expect(rt.simulator.requestCount('get.calls_report')).toBe(3);

    advance(MINUTE + 2_000);
    await sweep();

    expect((await rt.store.get(callId))?.outcome).toMatchObject({ result: 'talked' });
    expect(rt.simulator.requestCount('get.calls_report')).toBe(4);
    expect(rt.simulator.requestCount('get.call_legs_report')).toBe(1);
    documents.destroy();
  });
});
