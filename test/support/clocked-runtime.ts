import { SIMULATOR_DEMO_DATA_KEY } from '../../infra/local/runtime.ts';
import type { CallhookConfig } from '../../shared/config/schema.ts';
import { SWEEP_TIMING, type SweepTiming } from '../../shared/dispatch/sweep-timing.ts';
import { queueIdle, startTestRuntime, type TestRuntime } from './runtime.ts';

/**
 * The local runtime on a clock the test moves, with the sweeper run on demand and the simulator
 * answering the Call API and the demo account's Data API key on the same clock (it runs on with
 * the real one too, as the clients date the limits they read by it).
 */
export const startClockedRuntime = async (
  config: CallhookConfig,
  options: {
    base?: number;
    timing?: SweepTiming;
    dataMinuteLimit?: number;
    /** Secrets besides the demo account's (a signing sender's). */
    secrets?: Record<string, unknown>;
    /** The JAICP simulator's settings, for a config with a JAICP account. */
    jaicp?: { jobDurationMs: number };
  } = {},
) => {
  const startedAt = Date.now();
  let offset = 0;
  const now = () => new Date((options.base ?? startedAt) + (Date.now() - startedAt) + offset);
  const rt: TestRuntime = await startTestRuntime({
    config,
    ...(options.secrets !== undefined && { secrets: options.secrets }),
    ...(options.jaicp !== undefined && { jaicp: options.jaicp }),
    sweepIntervalMs: 0,
    now,
    timing: options.timing ?? SWEEP_TIMING,
    simulator: {
      now: () => now().getTime(),
      dataApi: {
        keys: { [SIMULATOR_DEMO_DATA_KEY]: 'valid' },
        ...(options.dataMinuteLimit !== undefined && { minuteLimit: options.dataMinuteLimit }),
      },
    },
  });
  return {
    rt,
    now,
    advance: (ms: number) => {
      offset += ms;
    },
    /** Sweeps, then waits for whatever the sweep queued to be dispatched. */
    sweep: async () => {
      const report = await rt.sweep();
      await queueIdle(rt.queue);
      return report;
    },
  };
};
