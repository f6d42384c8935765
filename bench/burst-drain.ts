import { startLocalRuntime } from '../infra/local/runtime.ts';
import { loadConfigFile } from '../shared/config/load.ts';
import { round } from './stats.ts';

export interface BurstDrain {
  webhooks: number;
  minute_limit: number;
  time_scale: number;
  accepted: number;
  placed: number;
  lost: number;
  duplicated: number;
  limit_exceeded_per_100_calls: number;
  calls_per_window: number[];
  utilisation: number;
  drain_seconds: number;
}

/** Posts `count` requests with at most `inFlight` open at once. */
const postAll = async (count: number, inFlight: number, post: (i: number) => Promise<number>) => {
  const statuses: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next;
      next += 1;
      statuses[i] = await post(i);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return statuses;
};

/**
 * 2,000 webhooks as fast as the bridge takes them, against the simulator with a per-minute
 * points limit on a scaled clock (a minute lasts `60 / timeScale` seconds). Counts what was lost
 * or doubled, how often the provider refused for limits, and how full each window was while
 * calls were waiting.
 */
export const measureBurstDrain = async (
  webhooks: number,
  minuteLimit: number,
  timeScale: number,
): Promise<BurstDrain> => {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  const runtime = await startLocalRuntime({
    config: await loadConfigFile('callhook.config.json'),
    secretsFile: 'callhook.secrets.local.json',
    adminKey: 'bench',
    port: 0,
    simulatorPort: 0,
    sweepIntervalMs: 0,
    simulator: { minuteLimit, timeScale, callDurationMs: 1_000 },
    queue: { concurrency: 4 },
  });
  try {
    const started = Date.now();
    const statuses = await postAll(webhooks, 64, async (i) => {
      const response = await fetch(`${runtime.bridgeUrl}/hooks/callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-callhook-token': 'demo-token' },
        body: JSON.stringify({ phone: `+7926${String(4_000_000 + i).padStart(7, '0')}` }),
      });
      await response.body?.cancel();
      return response.status;
    });
    const accepted = statuses.filter((status) => status === 202).length;
    // Drained when every accepted call reached the provider and the queue is empty.
    const deadline = Date.now() + 300_000;
    while (
      (runtime.simulator.calls().length < accepted || runtime.queue.depth > 0) &&
      Date.now() < deadline
    ) {
      // A benchmark may poll: nothing here decides pass or fail by timing.
      await new Promise<void>((resolve) => setTimeout(resolve, 100));
    }
    const calls = runtime.simulator.calls();
    const distinct = new Set(calls.map((call) => call.params.external_id)).size;
    const refusals = runtime.simulator.requestCount('start.simple_call') - calls.length;
    const times = calls.map((call) => Date.parse(call.received_at)).sort((a, b) => a - b);
    const windowMs = 60_000 / timeScale;
    const first = times[0] ?? 0;
    // Calls per window, counted from the first call. The last window is where the backlog ran
    // out, so utilisation is judged on the windows before it.
    const perWindow: number[] = [];
    for (const time of times) {
      const window = Math.floor((time - first) / windowMs);
      perWindow[window] = (perWindow[window] ?? 0) + 1;
    }
    const backlogged = perWindow.slice(0, -1).map((count) => count ?? 0);
    const utilisation =
      backlogged.length === 0
        ? 1
        : backlogged.reduce((sum, count) => sum + count, 0) / (backlogged.length * minuteLimit);
    return {
      webhooks,
      minute_limit: minuteLimit,
      time_scale: timeScale,
      accepted,
      placed: distinct,
      lost: accepted - distinct,
      duplicated: calls.length - distinct,
      limit_exceeded_per_100_calls: round((refusals / Math.max(1, calls.length)) * 100),
      calls_per_window: perWindow.map((count) => count ?? 0),
      utilisation: round(utilisation),
      drain_seconds: round((Date.now() - started) / 1000, 1),
    };
  } finally {
    await runtime.stop();
  }
};
