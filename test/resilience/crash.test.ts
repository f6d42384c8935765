import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_DEMO_KEY } from '../../infra/local/runtime.ts';
import { getCall, postHook } from '../support/http.ts';
import { killAll, type RuntimeChild, startRuntimeChild } from '../support/runtime-child.ts';
import { type SimulatorStats, startSimulatorChild } from '../support/simulator-child.ts';

/**
 * An attack pass on the local runtime's durability: the runtime in a child process on
 * CALLHOOK_DATA_DIR, the Call API simulator in another (its count of calls outlives the
 * runtime), a burst of webhooks, and `kill -9` of the runtime after the 202s, mid-dispatch and
 * during a sweep, each time started again on the same data. Every accepted call must end
 * `placed`, `completed` or `unknown`, none may be dialled twice, and none may stay `dialing`.
 */

const WEBHOOKS = 240;
const SETTLED = ['placed', 'completed', 'unknown'];
/** Polls `condition` every `intervalMs` until it holds or `timeoutMs` passes; returns whether it held. */
const until = async (condition: () => Promise<boolean>, timeoutMs: number, intervalMs = 50) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return condition();
};

/** Runs `task` over `items`, at most `width` at a time. */
const pool = async <T, R>(items: T[], width: number, task: (item: T) => Promise<R>) => {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const index = next;
        next += 1;
        results[index] = await task(items[index] as T);
      }
    }),
  );
  return results;
};

describe('Resilience: kill -9 of the local runtime, and start again', () => {
  const children: ChildProcess[] = [];
  let dir: string;
  let simulator: Awaited<ReturnType<typeof startSimulatorChild>>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'callhook-crash-'));
    simulator = await startSimulatorChild(
      {
        keys: { [SIMULATOR_DEMO_KEY]: 'valid' },
        virtualNumbers: ['74993720692'],
        // Points are not what this test is about; calls stay listed for reconciliation.
        minuteLimit: 1_000_000,
        dayLimit: 10_000_000,
        callDurationMs: 600_000,
      },
      children,
    );
  });
  afterAll(async () => {
    await killAll(children);
    await rm(dir, { recursive: true, force: true });
  });

  it('ends every accepted call placed, completed or unknown, none dialled twice, none left dialing', async () => {
    const started = Date.now();
    // Short leases, a fast sweeper and short retries: the same injection points tests use.
    const plan = {
      dataDir: join(dir, 'data'),
      simulatorUrl: simulator.url,
      leaseMs: 1_500,
      sweepIntervalMs: 250,
      timing: {
        lostMessageGraceMs: 3_000,
        reconcileAfterMs: 300,
        maxReconciliations: 3,
        pollAfterMs: 1_000,
      },
      backoff: { baseMs: 200, maxMs: 1_000 },
      queue: { visibilityTimeoutMs: 1_500 },
    };
    const start = () => startRuntimeChild(dir, plan, children);
    const requests = async (method: string) => (await simulator.stats()).requests[method] ?? 0;
    const accepted: string[] = [];
    const burst = async (runtime: RuntimeChild, from: number, count: number) => {
      const answers = await pool(
        Array.from({ length: count }, (_, i) => from + i),
        24,
        (i) =>
          postHook(runtime.bridgeUrl, 'callback', {
            phone: `+7926${String(5_000_000 + i).padStart(7, '0')}`,
          }),
      );
      for (const answer of answers) {
        expect(answer.status).toBe(202);
        accepted.push(String(answer.body.call_id));
      }
    };
    const kills: string[] = [];

    // Kill 1, after the 202s: the provider answers slowly, so dispatch is still going on.
    await simulator.injectFault({ fault: { mode: 'delay', ms: 120 }, method: 'start.simple_call' });
    const first = await start();
    await burst(first, 0, WEBHOOKS / 2);
    await first.kill();
    kills.push('after the 202s');

    // Kill 2, mid-dispatch: once the provider has taken some of the second half.
    const second = await start();
    const before = await requests('start.simple_call');
    await burst(second, WEBHOOKS / 2, WEBHOOKS / 2);
    const dispatching = await until(
      async () => (await requests('start.simple_call')) >= before + 30,
      20_000,
    );
    expect(dispatching).toBe(true);
    await second.kill();
    kills.push('mid-dispatch');

    // Kill 3, during a sweep: it is looking for calls whose dispatcher died (slowly).
    await simulator.injectFault({ fault: { mode: 'delay', ms: 150 }, method: 'list.calls' });
    const lookups = await requests('list.calls');
    const third = await start();
    const sweeping = await until(async () => (await requests('list.calls')) >= lookups + 2, 20_000);
    expect(sweeping).toBe(true);
    await third.kill();
    kills.push('during a sweep');

    // The last start, with the provider well again.
    await simulator.clearFaults();
    const last = await start();
    const restartedAt = Date.now();
    const statuses = new Map<string, string>();
    const abandoned = new Set<string>();
    const readAll = async () => {
      await pool(accepted, 16, async (id) => {
        const { status, body } = await getCall(last.bridgeUrl, id);
        statuses.set(id, status === 200 ? String(body.status) : `http_${status}`);
        const history = (body.history ?? []) as { reason?: string }[];
        if (history.some((entry) => entry.reason?.startsWith('lease_expired'))) abandoned.add(id);
      });
      return [...statuses.values()].every((status) => SETTLED.includes(status));
    };
    const settled = await until(readAll, 45_000, 250);
    const settledInMs = Date.now() - restartedAt;
    const stats: SimulatorStats = await simulator.stats();
    await last.stop();

    // Assess
    const dialled = new Map<string, number>();
    for (const call of stats.calls) {
      const id = String(call.params.external_id);
      dialled.set(id, (dialled.get(id) ?? 0) + 1);
    }
    const counts = (status: string) => [...statuses.values()].filter((s) => s === status).length;
    const summary = {
      webhooks: accepted.length,
      kills,
      placed: counts('placed'),
      completed: counts('completed'),
      unknown: counts('unknown'),
      leasesAbandoned: abandoned.size,
      unsettled: [...statuses.values()].filter((s) => !SETTLED.includes(s)),
      settledInMs,
      totalMs: Date.now() - started,
    };
    if (process.env.CALLHOOK_CRASH_REPORT !== undefined) console.info(JSON.stringify(summary));

    expect(accepted).toHaveLength(WEBHOOKS);
    expect(new Set(accepted).size).toBe(WEBHOOKS);
    expect(settled, JSON.stringify(summary)).toBe(true);
    expect([...statuses.values()].filter((s) => !SETTLED.includes(s))).toEqual([]);
    // Never twice; and a placed call was dialled exactly once.
    expect([...dialled.entries()].filter(([, n]) => n > 1)).toEqual([]);
    for (const [id, status] of statuses) {
      if (status === 'placed' || status === 'completed') expect(dialled.get(id)).toBe(1);
    }
    // Nothing the provider received is unknown to callhook.
    expect([...dialled.keys()].filter((id) => !statuses.has(id))).toEqual([]);
  }, 120_000);
});
