import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.ts';
import { SWEEP_TIMING, type SweepTiming } from '../../shared/dispatch/sweep-timing.ts';
import { startClockedRuntime } from '../support/clocked-runtime.ts';
import { DEMO_ACCOUNT } from '../support/configs.ts';
import { freshPhones, getCall, postCallAction, postHook, waitForStatus } from '../support/http.ts';
import { EVENTS_TOKEN, queueIdle, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * Issue 24, one named regression test per item (7 and 8's holiday half are tested in
 * simulator-session-ids.test.ts and unit/jaicp.test.ts). Each goes through the local runtime as
 * an operator and a provider would: webhooks, `GET /calls/{id}`, the operator actions, provider
 * events at `/events/{account}`, the sweeper run on demand under a clock the test moves, and the
 * simulator's fates and faults; where the simulator cannot give the reply an item needs (a
 * number out of range, an absurd reset, a slow report), a stand-in on 127.0.0.1 gives it.
 */

const MINUTE = 60_000;
/** Past the simulated call's minute and the first look at its report (two minutes). */
const UNTIL_REPORTED = 2 * MINUTE + 5_000;
const REDIAL = { on: ['no_answer', 'busy', 'operator_missed'], max: 2, after_minutes: 10 };

/** A stand-in HTTP server: every request is answered by `answer`, and its path and JSON-RPC method noted. */
interface StandIn {
  url: string;
  /** `method` of each JSON-RPC request (or the path of any other), in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

type Answer = { status?: number; text: string };

const startStandIn = async (
  answer: (request: { path: string; body: string; method: string; id: unknown }) => Promise<Answer>,
): Promise<StandIn> => {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
      let envelope: { method?: unknown; id?: unknown } = {};
      try {
        envelope = JSON.parse(body) as typeof envelope;
      } catch {
        // Not JSON-RPC: noted by its path.
      }
      const method = typeof envelope.method === 'string' ? envelope.method : path;
      requests.push(method);
      answer({ path, body, method, id: envelope.id }).then(
        ({ status = 200, text }) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(text);
        },
        () => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end('{}');
        },
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
};

/** The simulator's Data API, as it answers at `target` (set once the runtime has started). */
const forwardTo = async (target: string, body: string): Promise<string> => {
  const response = await fetch(`${target}/v2.0`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=UTF-8' },
    body,
  });
  return response.text();
};

/** A config whose demo account has a Data API key, and one route `callback` on it. */
const configWith = (
  route: Record<string, unknown>,
  options: { events?: boolean; dataApiUrl?: string; perNumber?: number } = {},
) =>
  parseConfig(
    {
      accounts: {
        demo: {
          ...DEMO_ACCOUNT,
          data_api: {
            secret: 'demo/dataapi',
            ...(options.dataApiUrl !== undefined && { base_url: options.dataApiUrl }),
          },
          ...(options.events === true && { events_secret: 'demo/events-token' }),
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
      per_number_daily_limit: options.perNumber ?? 3,
    },
    'lifecycle regressions',
  );

describe('Issue 24: the call lifecycle, item by item', () => {
  let runtime: TestRuntime | undefined;
  const standIns: StandIn[] = [];
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
    for (const standIn of standIns.splice(0)) await standIn.close();
  });

  const standIn = async (answer: Parameters<typeof startStandIn>[0]) => {
    const started = await startStandIn(answer);
    standIns.push(started);
    return started;
  };

  /** The runtime on a clock the test moves (from `base`, running on with the real one). */
  const start = async (
    config: ReturnType<typeof configWith>,
    options: { base?: number; timing?: SweepTiming } = {},
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
    await queueIdle(rt.queue);
    return callId;
  };

  /** The calls the simulator was asked to place for this call, any attempt. */
  const placedCalls = (rt: TestRuntime, callId: string) =>
    rt.simulator.calls().filter((call) => String(call.params.external_id).startsWith(callId));

  const postEvent = (rt: TestRuntime, body: Record<string, unknown>) =>
    fetch(`${rt.bridgeUrl}/events/demo?token=${encodeURIComponent(EVENTS_TOKEN)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
    }));

  const statusesOf = (detail: Record<string, unknown>) =>
    (detail.history as { status: string }[]).map((entry) => entry.status);

  /** A call whose `start.simple_call` reply was lost after the provider placed it: `unknown`. */
  const acceptLost = async (rt: TestRuntime, phone: string) => {
    rt.simulator.injectFault({
      fault: { mode: 'drop_after' },
      method: 'start.simple_call',
      times: 1,
    });
    const answer = await postHook(rt.bridgeUrl, 'callback', { phone });
    expect(answer.status).toBe(202);
    const callId = String(answer.body.call_id);
    await waitForStatus(rt.bridgeUrl, callId, 'unknown');
    await queueIdle(rt.queue);
    return callId;
  };

  it('item 1: an operator cancel that crosses the sweeper’s slow report look stops the redial', async () => {
    // The report look is held at the stand-in until the operator's cancel has been answered.
    let target = '';
    let arrived: () => void = () => undefined;
    const lookArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding = false;
    const dataApi = await standIn(async ({ body, method }) => {
      if (holding && method === 'get.calls_report') {
        holding = false;
        arrived();
        await released;
      }
      return { text: await forwardTo(target, body) };
    });
    const { rt, advance, sweep } = await start(
      configWith(
        { redial: { on: ['no_answer'], max: 2, after_minutes: 1 } },
        { dataApiUrl: dataApi.url },
      ),
    );
    target = rt.simulatorUrl;
    rt.simulator.setOutcome({ contact: '79260000101', fate: 'no_answer' });
    const callId = await accept(rt, '+79260000101');
    // The call's minute is over at the provider; its report is due.
    advance(UNTIL_REPORTED);

    holding = true;
    const sweeping = rt.sweep();
    let cancelled: Awaited<ReturnType<typeof postCallAction>>;
    try {
      await lookArrived;
      cancelled = await postCallAction(rt.bridgeUrl, callId, 'cancel');
    } finally {
      release();
    }
    await sweeping;
    await queueIdle(rt.queue);

    expect(cancelled.status).toBe(200);
    const settled = (await getCall(rt.bridgeUrl, callId)).body;
    // The report said nobody answered, which the route redials on; the cancel stopped that.
    expect(settled).toMatchObject({ status: 'completed', outcome: { result: 'no_answer' } });
    expect(statusesOf(settled)).not.toContain('scheduled');
    // Long past the redial's minute: nothing more is rung.
    advance(5 * MINUTE);
    await sweep();
    advance(5 * MINUTE);
    await sweep();
    expect(placedCalls(rt, callId).map((call) => call.params.external_id)).toEqual([callId]);
    expect((await getCall(rt.bridgeUrl, callId)).body.status).toBe('completed');
  });

  it('item 2: the late "ended" of a lost first attempt is not taken for the operator’s retry', async () => {
    const { rt, advance, sweep } = await start(configWith({ redial: REDIAL }, { events: true }));
    // The lost first attempt nobody answers; the retried one talks.
    rt.simulator.setOutcome({ contact: '79260000102', fate: 'no_answer', times: 1 });
    rt.simulator.setOutcome({ contact: '79260000102', fate: 'talked', times: 1 });
    const callId = await acceptLost(rt, '+79260000102');
    const retried = await postCallAction(rt.bridgeUrl, callId, 'retry');
    expect(retried.status).toBe(200);
    await waitForStatus(rt.bridgeUrl, callId, 'placed');
    await queueIdle(rt.queue);
    const [first, second] = placedCalls(rt, callId);
    expect(second?.call_session_id).not.toBe(first?.call_session_id);

    // The provider's word about the first, lost attempt arrives while the retry rings.
    const late = await postEvent(rt, {
      event: 'ended',
      call_session_id: first?.call_session_id,
      external_id: first?.params.external_id,
      talk_time_duration: 0,
      finish_reason: 'subscriber_not_responsible',
    });

    expect(late.status).toBe(200);
    const ringing = (await getCall(rt.bridgeUrl, callId)).body;
    expect(ringing).toMatchObject({ status: 'placed', call_session_id: second?.call_session_id });
    // The retried attempt's report: it talked. The chain is over, with no third call.
    advance(UNTIL_REPORTED);
    await sweep();
    advance(15 * MINUTE);
    await sweep();
    expect((await getCall(rt.bridgeUrl, callId)).body).toMatchObject({
      status: 'completed',
      outcome: { result: 'talked' },
    });
    expect(placedCalls(rt, callId)).toHaveLength(2);
  });

  it('item 3: many identical notifications do not erase that an attempt went unknown (no redial)', async () => {
    const { rt, advance, sweep } = await start(configWith({ redial: REDIAL }, { events: true }));
    rt.simulator.setOutcome({ contact: '79260000103', fate: 'no_answer' });
    const callId = await acceptLost(rt, '+79260000103');
    const [lost] = placedCalls(rt, callId);

    // The provider says "answered" over and over for the one session: more than the history holds.
    for (let n = 0; n < 25; n += 1) {
      const answered = await postEvent(rt, {
        event: 'answered',
        call_session_id: lost?.call_session_id,
        external_id: callId,
      });
      expect(answered.status).toBe(200);
    }
    expect((await getCall(rt.bridgeUrl, callId)).body.status).toBe('placed');

    // The report says nobody answered; an attempt that went unknown is never redialled.
    advance(UNTIL_REPORTED);
    await sweep();
    advance(15 * MINUTE);
    await sweep();

    expect(placedCalls(rt, callId)).toHaveLength(1);
    expect((await getCall(rt.bridgeUrl, callId)).body).toMatchObject({
      status: 'completed',
      outcome: { result: 'no_answer' },
    });
  });

  it('item 4: a report number DynamoDB cannot hold (talk_duration 1e300) is a failed look, backed off, within the outcome window', async () => {
    let target = '';
    const dataApi = await standIn(async ({ body, method }) => {
      const text = await forwardTo(target, body);
      return {
        text:
          method === 'get.calls_report'
            ? text.replace(/"talk_duration":\d+/g, '"talk_duration":1e300')
            : text,
      };
    });
    const { rt, advance, sweep } = await start(configWith({}, { dataApiUrl: dataApi.url }), {
      timing: { ...SWEEP_TIMING, outcomeWindowMs: 30 * MINUTE },
    });
    target = rt.simulatorUrl;
    rt.simulator.setOutcome({ contact: '79260000104', fate: 'talked' });
    const callId = await accept(rt, '+79260000104');
    const looks = () => dataApi.requests.filter((m) => m === 'get.calls_report').length;

    advance(UNTIL_REPORTED);
    await sweep();
    expect(looks()).toBe(1);
    // A sweep a second for ten seconds: the failed look is not repeated at once.
    for (let second = 0; second < 10; second += 1) {
      advance(1_000);
      await sweep();
    }
    expect(looks()).toBe(1);

    // A sweep a minute until well past the outcome window: a few looks, then none.
    for (let minute = 0; minute < 40; minute += 1) {
      advance(MINUTE);
      await sweep();
    }
    const looksInWindow = looks();
    expect(looksInWindow).toBeGreaterThan(1);
    expect(looksInWindow).toBeLessThan(10);
    advance(60 * MINUTE);
    await sweep();
    expect(looks()).toBe(looksInWindow);
    const detail = (await getCall(rt.bridgeUrl, callId)).body;
    const reasons = (detail.timeline as { type: string; reason?: string | null }[]).map(
      (entry) => entry.reason ?? '',
    );
    expect(reasons.some((reason) => /no outcome from the report/.test(reason))).toBe(true);
  });

  it('item 5: a -32029 refusal with an absurd reset (1e20 s) waits instead of asking at every sweep', async () => {
    const dataApi = await standIn(async ({ id }) => ({
      text: `{"jsonrpc":"2.0","id":${JSON.stringify(id ?? null)},"error":{"code":-32029,"message":"Limit per minute has been exceeded. Value of current limit per minute is 600","data":{"mnemonic":"limit_exceeded","field":null,"value":null,"params":{"limit_type":"minute","limit_max_value":600},"extended_helper":null,"metadata":{"limits":{"day_limit":100000,"day_remaining":90000,"day_reset":1e20,"minute_limit":600,"minute_remaining":0,"minute_reset":1e20}}}}}`,
    }));
    const { rt, advance, sweep } = await start(configWith({}, { dataApiUrl: dataApi.url }));
    const callId = await accept(rt, '+79260000105');

    advance(UNTIL_REPORTED);
    await sweep();
    expect(dataApi.requests).toEqual(['get.calls_report']);
    // A sweep a second for ten seconds: the refusal is waited out, not asked again.
    for (let second = 0; second < 10; second += 1) {
      advance(1_000);
      await sweep();
    }
    expect(dataApi.requests).toHaveLength(1);
    const waiting = (await getCall(rt.bridgeUrl, callId)).body;
    expect(waiting.status).toBe('placed');
    // Waited out, not given up: asked again minutes later.
    advance(5 * MINUTE);
    await sweep();
    expect(dataApi.requests).toHaveLength(2);
  });

  it('item 6: a call waiting for its redial never reads completed in between', async () => {
    const { rt, advance, sweep } = await start(configWith({ redial: REDIAL }, { events: true }));
    rt.simulator.setOutcome({ contact: '79260000106', fate: 'no_answer', times: 1 });
    const callId = await accept(rt, '+79260000106');
    const sessionId = (await getCall(rt.bridgeUrl, callId)).body.call_session_id;

    const ended = await postEvent(rt, {
      event: 'ended',
      call_session_id: sessionId,
      external_id: callId,
      talk_time_duration: 0,
      finish_reason: 'subscriber_not_responsible',
    });
    const afterEnded = (await getCall(rt.bridgeUrl, callId)).body;
    advance(UNTIL_REPORTED);
    await sweep();
    const waiting = (await getCall(rt.bridgeUrl, callId)).body;

    expect(ended.status).toBe(200);
    // Ended, its report still to decide whether it is rung again: not `completed`.
    expect(afterEnded.status).toBe('placed');
    expect(waiting.status).toBe('scheduled');
    expect(statusesOf(waiting)).not.toContain('completed');
  });

  it('item 6: an operator’s cancel of a ringing, unanswered call ends `cancelled`', async () => {
    const { rt } = await start(configWith({}));
    rt.simulator.setOutcome({ contact: '79260000107', fate: 'no_answer' });
    const callId = await accept(rt, '+79260000107');

    const cancelled = await postCallAction(rt.bridgeUrl, callId, 'cancel');

    expect(cancelled).toMatchObject({ status: 200, body: { status: 'cancelled' } });
    expect(rt.simulator.requestCount('release.call')).toBe(1);
    const detail = (await getCall(rt.bridgeUrl, callId)).body;
    expect(detail.status).toBe('cancelled');
    expect(statusesOf(detail)).not.toContain('completed');
  });

  it('item 6: an earlier attempt’s provider error is gone from the call once a later attempt is placed', async () => {
    const { rt } = await start(configWith({}));
    const callId = await acceptLost(rt, '+79260000108');
    const lost = (await getCall(rt.bridgeUrl, callId)).body;
    expect(lost.error).not.toBeNull();

    const retried = await postCallAction(rt.bridgeUrl, callId, 'retry');
    expect(retried.status).toBe(200);
    await waitForStatus(rt.bridgeUrl, callId, 'placed');
    await queueIdle(rt.queue);

    const placed = (await getCall(rt.bridgeUrl, callId)).body;
    expect(placed).toMatchObject({ status: 'placed', error: null });
  });

  it('item 6: a call the report says talked has `answered_at` in its timings', async () => {
    const { rt, advance, sweep } = await start(configWith({}));
    rt.simulator.setOutcome({ contact: '79260000109', fate: 'talked', wait_s: 5, talk_s: 40 });
    const callId = await accept(rt, '+79260000109');

    advance(UNTIL_REPORTED);
    await sweep();

    const detail = (await getCall(rt.bridgeUrl, callId)).body as {
      status: string;
      outcome: { result: string; ended_at: string };
      timings: { accepted_at: string; answered_at: string | null };
    };
    expect(detail).toMatchObject({ status: 'completed', outcome: { result: 'talked' } });
    expect(detail.timings.answered_at).not.toBeNull();
    const answeredAt = Date.parse(detail.timings.answered_at ?? '');
    expect(answeredAt).toBeGreaterThanOrEqual(Date.parse(detail.timings.accepted_at));
    expect(answeredAt).toBeLessThanOrEqual(Date.parse(detail.outcome.ended_at));
  });

  it('item 6: a request id in the timeline is shown whole, not masked as a phone number', async () => {
    // 03:00 in Moscow tomorrow: the route's window opens at 09:00, so each call waits `scheduled`.
    const night = DateTime.now()
      .setZone('Europe/Moscow')
      .plus({ days: 1 })
      .set({ hour: 3, minute: 0, second: 0, millisecond: 0 });
    const { rt } = await start(
      configWith(
        { calling_hours: { time_zone: 'Europe/Moscow', from: '09:00', to: '21:00' } },
        { perNumber: 1 },
      ),
      { base: night.toMillis() },
    );
    const phone = freshPhones('110');
    // Request ids are random UUIDs: cancel waiting calls until one has a run of 7 digits (about
    // one in six does), as `5605…` in the issue's `****5605-2f4f-…` had.
    let found: { callId: string; requestId: string } | undefined;
    for (let n = 0; n < 200 && found === undefined; n += 1) {
      const accepted = await postHook(rt.bridgeUrl, 'callback', { phone: phone() });
      const callId = String(accepted.body.call_id);
      await waitForStatus(rt.bridgeUrl, callId, 'scheduled');
      const cancelled = await postCallAction(rt.bridgeUrl, callId, 'cancel');
      expect(cancelled.status).toBe(200);
      const reason = (cancelled.body.history as { reason?: string }[]).at(-1)?.reason ?? '';
      const requestId = /request ([0-9a-f-]{36})/.exec(reason)?.[1];
      expect(requestId).toBeDefined();
      if (requestId !== undefined && /\d{7,}/.test(requestId)) found = { callId, requestId };
    }
    expect(found).toBeDefined();

    const detail = (await getCall(rt.bridgeUrl, found?.callId ?? '')).body;
    const cancelEntry = (detail.timeline as { type: string; status?: string; reason?: string }[])
      .filter((entry) => entry.type === 'status' && entry.status === 'cancelled')
      .at(-1);
    expect(cancelEntry?.reason).toContain(found?.requestId);
    // The contact stays masked.
    expect(detail.contact).toMatch(/^\*+\d{4}$/);
  });
});

const CAMPAIGN_TOKEN = 'campaign-token-8231';

/** A JAICP campaign (the simulator, or a stand-in at `baseUrl`) and a route whose calls a bot makes. */
const jaicpConfig = (baseUrl?: string) =>
  parseConfig(
    {
      accounts: {
        demo: DEMO_ACCOUNT,
        bot: {
          backend: 'jaicp',
          ...(baseUrl === undefined ? { provider: 'simulator' } : { base_url: baseUrl }),
          secret: 'bot/campaign',
        },
      },
      routes: {
        'bot-confirm': {
          account: 'bot',
          auth: { type: 'token', secret: 'demo/hook-token' },
          call: { method: 'jaicp.addPhones', contact: 'phone', payload: { order: 'order_id' } },
          calling_hours: { time_zone: 'Europe/Moscow', from: '09:00', to: '21:00' },
        },
      },
    },
    'lifecycle regressions (JAICP)',
  );

describe('Issue 24, item 8: a JAICP job whose report cannot be read', () => {
  let runtime: TestRuntime | undefined;
  const standIns: StandIn[] = [];
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
    for (const standIn of standIns.splice(0)) await standIn.close();
  });

  /** 12:00 in Moscow tomorrow, inside the route's window; the clock moves only when told. */
  const start = async (baseUrl?: string) => {
    let clock = DateTime.now()
      .setZone('Europe/Moscow')
      .plus({ days: 1 })
      .set({ hour: 12, minute: 0, second: 0, millisecond: 0 })
      .toMillis();
    runtime = await startTestRuntime({
      config: jaicpConfig(baseUrl),
      secrets: { 'bot/campaign': CAMPAIGN_TOKEN },
      sweepIntervalMs: 0,
      now: () => new Date(clock),
      backoff: { baseMs: 0, maxMs: 0 },
      timing: SWEEP_TIMING,
      jaicp: { jobDurationMs: 60 * MINUTE },
    });
    const rt = runtime;
    const answer = await postHook(rt.bridgeUrl, 'bot-confirm', {
      order_id: 'A-24',
      phone: '+79260000110',
    });
    expect(answer.status).toBe(202);
    const callId = String(answer.body.call_id);
    await waitForStatus(rt.bridgeUrl, callId, 'placed');
    await queueIdle(rt.queue);
    return {
      rt,
      callId,
      advance: (ms: number) => {
        clock += ms;
      },
    };
  };

  /**
   * Sweeps once the job's next look is due (`pollAfterMs` on), then once a second for ten
   * seconds: how many looks `looks` counted after the first sweep, and after the rest.
   */
  const sweepEverySecond = async (
    rt: TestRuntime,
    advance: (ms: number) => void,
    looks: () => number,
  ) => {
    advance(SWEEP_TIMING.pollAfterMs + 1_000);
    await rt.sweep();
    const first = looks();
    for (let second = 0; second < 10; second += 1) {
      advance(1_000);
      await rt.sweep();
    }
    return { first, after: looks() };
  };

  it('item 8: a job whose getReport answers 5xx is not asked about at every sweep', async () => {
    const { rt, advance } = await start();
    const jaicp = rt.jaicp;
    if (jaicp === undefined) throw new Error('the JAICP simulator did not start');
    jaicp.injectFault({ fault: { mode: 'http_502' }, method: 'callJob/getReport' });
    const looks = () => jaicp.requestCount('callJob/getReport');

    const { first, after } = await sweepEverySecond(rt, advance, looks);

    expect(first).toBe(1);
    expect(after).toBe(1);
    // Backed off, not given up: asked again minutes later.
    advance(10 * MINUTE);
    await rt.sweep();
    expect(looks()).toBe(2);
  });

  it('item 8: a job whose getReport reply cannot be read is not asked about at every sweep', async () => {
    let report = 'unreadable';
    const jaicp = await startStandIn(async ({ path }) => {
      if (path.endsWith('/addPhones')) return { text: '[7001]' };
      if (path.endsWith('/callJob/getReport')) {
        return {
          text:
            report === 'null-times'
              ? '[{"id":7001,"phone":"79260000110","jobStatus":"planned","startedAt":null,"finishedAt":null,"callDuration":null}]'
              : '<html><body>maintenance</body></html>',
        };
      }
      return { status: 404, text: '{"error":"not found"}' };
    });
    standIns.push(jaicp);
    const { rt, advance, callId } = await start(jaicp.url);
    const looks = () => jaicp.requests.filter((path) => path.endsWith('/callJob/getReport')).length;

    const unreadable = await sweepEverySecond(rt, advance, looks);
    expect(unreadable).toEqual({ first: 1, after: 1 });

    // A planned job whose times are `null` (not ended yet), 10 minutes on: read, and not asked at every sweep.
    report = 'null-times';
    advance(10 * MINUTE);
    const planned = await sweepEverySecond(rt, advance, looks);
    expect(planned).toEqual({ first: 2, after: 2 });
    expect((await getCall(rt.bridgeUrl, callId)).body.status).toBe('placed');
  });
});
