import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MAX_SESSION_ID,
  SESSION_ID_BLOCK,
  SESSION_IDS_FILE,
} from '../../infra/local/simulator/session-ids.ts';
import {
  type RunningSimulator,
  type SimulatorOptions,
  startSimulator,
} from '../../infra/local/simulator/simulator.ts';
import { postHook, waitForStatus } from '../support/http.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const VIRTUAL = '74993720692';
/** One clock reading for every start: the clock alone would give each start the same ids. */
const FROZEN = Date.parse('2026-03-02T10:00:00.000Z');

// biome-ignore lint/suspicious/noExplicitAny: replies are inspected field by field with expect.
type Reply = Record<string, any>;

const post = async (url: string, body: unknown): Promise<Reply> => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=UTF-8' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Reply;
};

/** Places `count` calls one after the other; their session ids. */
const placeCalls = async (simulator: RunningSimulator, count: number): Promise<number[]> => {
  const ids: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const reply = await post(`${simulator.url}/v4.0`, {
      jsonrpc: '2.0',
      id: i,
      method: 'start.simple_call',
      params: {
        access_token: 'call-key',
        first_call: 'operator',
        virtual_phone_number: VIRTUAL,
        contact: '79260000001',
        operator: '74951234567',
      },
    });
    ids.push(reply.result.data.call_session_id as number);
  }
  return ids;
};

/** Every id a client of the simulator sees for its calls: sessions, legs, report rows. */
const idsSeen = async (simulator: RunningSimulator, advanceClock: () => void) => {
  const listed = await post(`${simulator.url}/v4.0`, {
    jsonrpc: '2.0',
    id: 'l',
    method: 'list.calls',
    params: { access_token: 'call-key' },
  });
  const listLegs = (listed.result.data as Reply[]).flatMap((call) =>
    (call.legs as Reply[]).map((leg) => leg.leg_id as number),
  );
  // The calls end, so that the legs report lists them.
  advanceClock();
  const local = (ms: number) =>
    new Date(ms + 3 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
  const report = async (method: string, fields: string[]) =>
    (
      await post(`${simulator.url}/v2.0`, {
        jsonrpc: '2.0',
        id: 'r',
        method,
        params: {
          access_token: 'data-key',
          date_from: local(FROZEN - 3_600_000),
          date_till: local(FROZEN + 3_600_000),
          fields,
        },
      })
    ).result.data as Reply[];
  const sessions = await report('get.calls_report', ['id', 'call_api_request_id']);
  const legs = await report('get.call_legs_report', ['id', 'call_session_id']);
  return {
    sessions: sessions.flatMap((row) => [row.id as number, row.call_api_request_id as number]),
    legs: [...listLegs, ...legs.map((row) => row.id as number)],
    legSessions: legs.map((row) => row.call_session_id as number),
  };
};

const shared = (a: number[], b: number[]) => a.filter((id) => b.includes(id));

describe('Call API simulator: session ids are not repeated by a simulator started again', () => {
  let dataDir: string;
  let running: RunningSimulator[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'callhook-simulator-ids-'));
  });
  afterEach(async () => {
    await Promise.all(running.map((simulator) => simulator.close()));
    running = [];
    await rm(dataDir, { recursive: true, force: true });
  });

  const start = async (options: Partial<SimulatorOptions>) => {
    const simulator = await startSimulator({
      host: '127.0.0.1',
      keys: { 'call-key': 'valid' },
      virtualNumbers: [VIRTUAL],
      dataApi: { keys: { 'data-key': 'valid' }, minuteLimit: 1_000_000 },
      minuteLimit: 1_000_000,
      dayLimit: 1_000_000,
      callDurationMs: 60_000,
      ...options,
    });
    running.push(simulator);
    return simulator;
  };
  const stop = async (simulator: RunningSimulator) => {
    running = running.filter((s) => s !== simulator);
    await simulator.close();
  };

  it('with a data dir: new session, leg and report ids never repeat the earlier run’s', async () => {
    // Prepare: a first run's calls, on a clock that will read the same at the next start.
    let clock = FROZEN;
    const first = await start({ dataDir, now: () => clock });
    const firstCalls = await placeCalls(first, 3);
    const firstSeen = await idsSeen(first, () => {
      clock += 120_000;
    });
    await stop(first);

    // Act
    clock = FROZEN;
    const second = await start({ dataDir, now: () => clock });
    const secondCalls = await placeCalls(second, 3);
    const secondSeen = await idsSeen(second, () => {
      clock += 120_000;
    });

    // Assess
    expect(new Set(secondCalls).size).toBe(3);
    expect(shared(secondCalls, firstCalls)).toEqual([]);
    expect(Math.min(...secondCalls)).toBeGreaterThan(Math.max(...firstCalls));
    expect(shared(secondSeen.sessions, firstSeen.sessions)).toEqual([]);
    expect(shared(secondSeen.legs, firstSeen.legs)).toEqual([]);
    expect(shared(secondSeen.legSessions, firstSeen.legSessions)).toEqual([]);
    // Each run's reports are about its own calls only: 3 legs from list.calls, 6 from the report.
    expect(new Set(secondSeen.sessions)).toEqual(new Set(secondCalls));
    expect(secondSeen.legs).toHaveLength(9);
    for (const id of [...firstSeen.legs, ...secondSeen.legs]) {
      expect(Number.isSafeInteger(id) && id > 0 && id < 10 ** 15).toBe(true);
    }
    for (const id of [...firstCalls, ...secondCalls]) {
      expect(Number.isSafeInteger(id) && id > 0 && id <= MAX_SESSION_ID).toBe(true);
    }
  });

  it('with a data dir: a run that used more than one block of ids is still passed', async () => {
    const first = await start({ dataDir, now: () => FROZEN });
    const firstCalls = await placeCalls(first, SESSION_ID_BLOCK + 2);
    await stop(first);

    const second = await start({ dataDir, now: () => FROZEN });
    const secondCalls = await placeCalls(second, 2);

    expect(new Set(firstCalls).size).toBe(SESSION_ID_BLOCK + 2);
    expect(Math.min(...secondCalls)).toBeGreaterThan(Math.max(...firstCalls));
  });

  it('with a data dir: a temporary file a kill left mid-write is ignored', async () => {
    const first = await start({ dataDir, now: () => FROZEN });
    const firstCalls = await placeCalls(first, 2);
    await stop(first);
    // What a kill between writing the new counter and renaming it over the old one leaves.
    await writeFile(join(dataDir, `${SESSION_IDS_FILE}.tmp`), '1');

    const second = await start({ dataDir, now: () => FROZEN });
    const secondCalls = await placeCalls(second, 2);

    expect(Math.min(...secondCalls)).toBeGreaterThan(Math.max(...firstCalls));
  });

  it('without a data dir: a run started later begins past an earlier run’s ids, by the clock', async () => {
    const beforeFirst = Date.now();
    const first = await start({});
    const afterFirst = Date.now();
    const firstCalls = await placeCalls(first, 3);
    await stop(first);

    const second = await start({});
    const secondCalls = await placeCalls(second, 3);

    // Ids come from the wall clock (ten per millisecond), not from a fixed first id.
    expect(firstCalls[0]).toBeGreaterThanOrEqual(beforeFirst * 10);
    expect(firstCalls[0]).toBeLessThanOrEqual(afterFirst * 10);
    expect(shared(secondCalls, firstCalls)).toEqual([]);
    expect(Math.min(...secondCalls)).toBeGreaterThan(Math.max(...firstCalls));
  });
});

describe('Local runtime with CALLHOOK_DATA_DIR: provider events after a restart', () => {
  let dataDir: string;
  let runtime: TestRuntime | undefined;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'callhook-data-'));
  });
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  const run = async () => {
    runtime = await startTestRuntime({
      dataDir,
      sweepIntervalMs: 0,
      // Calls end after 300 ms, reported by the simulator; its clock reads the same each start.
      simulator: { callDurationMs: 300, now: () => FROZEN },
    });
    return runtime;
  };
  const placeAndEnd = async (rt: TestRuntime, phone: string) => {
    const accepted = await postHook(rt.bridgeUrl, 'callback', { phone });
    const callId = String(accepted.body.call_id);
    const placed = await waitForStatus(rt.bridgeUrl, callId, 'placed');
    return { callId, sessionId: Number(placed.call_session_id) };
  };

  it("completes the new run's call from its own notification, not an old call's", async () => {
    // Prepare: a call placed and ended before the restart.
    const first = await run();
    const old = await placeAndEnd(first, '+79260000031');
    await waitForStatus(first.bridgeUrl, old.callId, 'completed');
    await first.stop();
    runtime = undefined;

    // Act
    const second = await run();
    const fresh = await placeAndEnd(second, '+79260000032');

    // Assess
    expect(fresh.sessionId).not.toBe(old.sessionId);
    const view = await waitForStatus(second.bridgeUrl, fresh.callId, 'completed');
    expect(view.history).toContainEqual(
      expect.objectContaining({ status: 'completed', reason: 'the call ended' }),
    );
  });
});
