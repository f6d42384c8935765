import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import {
  type LocalRuntime,
  SIMULATOR_DEMO_KEY,
  startLocalRuntime,
} from '../infra/local/runtime.ts';
import { loadConfigFile } from '../shared/config/load.ts';
import { type Child, startChild } from './processes/child.ts';
import type { ProviderCalls } from './processes/provider.ts';
import type { Burst } from './processes/senders.ts';
import { round } from './stats.ts';

export interface BurstDrain {
  webhooks: number;
  minute_limit: number;
  time_scale: number;
  /** Which parts ran in processes of their own, beside the runtime's (ingest and dispatch). */
  setup: string;
  accepted: number;
  placed: number;
  lost: number;
  duplicated: number;
  limit_exceeded_per_100_calls: number;
  calls_per_window: number[];
  utilisation: number;
  /** From the first webhook posted until the last call reached the provider. */
  drain_seconds: number;
}

export const BURST_SETUP =
  'posted at the API stage’s default throttle; the senders, DynamoDB (dynalite) and the provider (the simulator) each in a process of its own, beside the runtime’s ingest and dispatch';

/** The deploy settings, by a path the type checker does not follow (see `fixed-cost.ts`). */
const SETTINGS_MODULE = '../infra/aws/settings.ts';

/** The throttle the deployment's API stage has by default: what a burst can get into ingest. */
const stageThrottle = async () => {
  const { DeploySettings } = (await import(SETTINGS_MODULE)) as {
    DeploySettings: {
      parse(input: unknown): { throttleRateLimit: number; throttleBurstLimit: number };
    };
  };
  const defaults = DeploySettings.parse({});
  return { perSecond: defaults.throttleRateLimit, burst: defaults.throttleBurstLimit };
};

/** The call placed before the burst, on a number none of the burst's uses. */
const FIRST_CALL = {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-callhook-token': 'demo-token' },
  body: JSON.stringify({ phone: '+79269999999' }),
};

/**
 * 2,000 webhooks against the simulator with a per-minute points limit on a scaled clock (a
 * minute lasts `60 / timeScale` seconds). Counts what was lost or doubled, how often the
 * provider refused for limits, and how full each window was while calls were waiting. One call
 * goes first, alone, and its window is let pass: a burst meets a deployment that has placed a
 * call before, and so knows its account's limits (the budget is kept in DynamoDB).
 *
 * The deployment's shape, not one process's: a CPU profile of the bench with everything in one
 * process (2,000 webhooks: 78 s of CPU, 96% busy) gave the SDK's requests 25%, dynalite 19%,
 * garbage collection 9%, node's HTTP 8% and the simulator 5%, with the posting, ingest and the
 * events function (run by the simulator's end-of-call notifications) on the same thread as
 * dispatch. So the senders, DynamoDB and the provider each run in a process of their own, as they
 * do not share a Lambda function's CPU, and the provider sends no notifications (the events
 * function has its own CPU on AWS). The senders post as the API stage's throttle admits them
 * (50 a second after a burst of 100, the deploy settings' defaults): faster, API Gateway
 * answers 429 and nothing more reaches ingest, while here ingest and dispatch would share the
 * runtime's one thread and the drain would measure that thread, not the pacing.
 */
export const measureBurstDrain = async (
  webhooks: number,
  minuteLimit: number,
  timeScale: number,
): Promise<BurstDrain> => {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  const config = await loadConfigFile('callhook.config.json');
  const simulator = { minuteLimit, timeScale, callDurationMs: 1_000 };
  const virtualNumbers = Object.values(config.accounts).flatMap((account) =>
    account.backend === 'callapi' ? [account.virtual_phone_number] : [],
  );
  const children: Child<never, unknown>[] = [];
  const child = async <Request, Reply>(name: string, options: unknown) => {
    const started = await startChild<Request, Reply>(name, options);
    children.push(started);
    return started;
  };
  try {
    const provider = await child<undefined, ProviderCalls>('provider', {
      keys: { [SIMULATOR_DEMO_KEY]: 'valid' },
      virtualNumbers,
      ...simulator,
    });
    const dynamo = await child<undefined, undefined>('dynalite', {});
    const senders = await child<Burst, number[]>('senders', {});
    const runtime = await startLocalRuntime({
      config,
      secretsFile: 'callhook.secrets.local.json',
      adminKey: 'bench',
      port: 0,
      simulatorPort: 0,
      simulatorUrl: provider.ready as string,
      dynamoClientConfig: dynamo.ready as DynamoDBClientConfig,
      sweepIntervalMs: 0,
      // The simulator's scaled clock shortens the windows the points budget keeps.
      simulator,
      queue: { concurrency: 4 },
    });
    try {
      return await drain({ runtime, provider, senders }, webhooks, minuteLimit, timeScale);
    } finally {
      await runtime.stop();
    }
  } finally {
    for (const started of children.reverse()) await started.stop();
  }
};

/** What the burst runs against: the runtime, and the processes beside it. */
interface Parts {
  runtime: LocalRuntime<undefined>;
  provider: Child<undefined, ProviderCalls>;
  senders: Child<Burst, number[]>;
}

/** Posts the burst once the first call's window has passed, and counts what reached the provider. */
const drain = async (
  { runtime, provider, senders }: Parts,
  webhooks: number,
  minuteLimit: number,
  timeScale: number,
): Promise<BurstDrain> => {
  const url = `${runtime.bridgeUrl}/hooks/callback`;
  const first = await fetch(url, FIRST_CALL);
  const { call_id: firstCall } = (await first.json()) as { call_id: string };
  /** What the provider has, once `done` says so and the queue is empty, or at `deadline`. */
  const settled = async (done: (calls: ProviderCalls) => boolean, deadline: number) => {
    for (;;) {
      const calls = await provider.ask(undefined);
      if ((done(calls) && runtime.queue.depth === 0) || Date.now() > deadline) return calls;
      // A benchmark may poll: nothing here decides pass or fail by timing.
      await new Promise<void>((resolve) => setTimeout(resolve, 100));
    }
  };
  const before = await settled((c) => c.calls.length > 0, Date.now() + 60_000);
  if (before.calls.length !== 1) throw new Error('the call before the burst was not placed');
  // The first call opened the provider's window; the burst opens a window of its own (the
  // provider starts one at the first request after the last one ends), so the windows counted
  // below from the burst's first call are the provider's. Without this wait the first of them
  // held what was left of the first call's window as well, up to twice the limit.
  const windowMs = 60_000 / timeScale;
  await new Promise<void>((resolve) => setTimeout(resolve, windowMs));

  const started = Date.now();
  const statuses = await senders.ask({
    url,
    token: 'demo-token',
    count: webhooks,
    inFlight: 64,
    throttle: await stageThrottle(),
  });
  const accepted = statuses.filter((status) => status === 202).length;
  // Drained when every accepted call reached the provider and the queue is empty.
  const reached = await settled((c) => c.calls.length > accepted, Date.now() + 300_000);
  const calls = reached.calls.filter((call) => call.external_id !== firstCall);
  const distinct = new Set(calls.map((call) => call.external_id)).size;
  const refusals = reached.requests - reached.calls.length;
  const times = calls.map((call) => call.received_at).sort((a, b) => a - b);
  const start = times[0] ?? 0;
  // Calls per window, counted from the burst's first call, which opened the provider's window.
  // The last window is where the backlog ran out, so utilisation is judged on those before it.
  const perWindow: number[] = [];
  for (const time of times) {
    const window = Math.floor((time - start) / windowMs);
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
    setup: BURST_SETUP,
    accepted,
    placed: distinct,
    lost: accepted - distinct,
    duplicated: calls.length - distinct,
    limit_exceeded_per_100_calls: round((refusals / Math.max(1, calls.length)) * 100),
    calls_per_window: perWindow.map((count) => count ?? 0),
    utilisation: round(utilisation),
    drain_seconds: round(((times.at(-1) ?? started) - started) / 1000, 1),
  };
};
