import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createDispatchHandler } from '../functions/dispatch/handler.ts';
import { createEventsHandler } from '../functions/events/handler.ts';
import { createIngestHandler } from '../functions/ingest/handler.ts';
import { createTables, startDynalite } from '../infra/local/dynalite.ts';
import { lambdaContext } from '../infra/local/lambda-context.ts';
import { startSimulator } from '../infra/local/simulator/simulator.ts';
import { DynamoDbCallStore } from '../shared/adapters/dynamodb/dynamodb-call-store.ts';
import { DynamoDbContactCapStore } from '../shared/adapters/dynamodb/dynamodb-contact-cap-store.ts';
import { DynamoDbContactWindowStore } from '../shared/adapters/dynamodb/dynamodb-contact-window-store.ts';
import { DynamoDbKeptEvents } from '../shared/adapters/dynamodb/dynamodb-kept-events.ts';
import { DynamoDbLimitsStore } from '../shared/adapters/dynamodb/dynamodb-limits-store.ts';
import { InProcessQueue } from '../shared/adapters/local/in-process-queue.ts';
import { CALLBACK_BATCHING } from '../shared/callbacks/callback-batching.ts';
import { NotifyingCallStore } from '../shared/callbacks/notifying-call-store.ts';
import { loadConfigFile } from '../shared/config/load.ts';
import type { RouteConfig } from '../shared/config/schema.ts';
import { SWEEP_TIMING } from '../shared/dispatch/sweep-timing.ts';
import { createLogger } from '../shared/logging/logger.ts';
import { numberingForConfig } from '../shared/routes/numbering-for.ts';
import { CachedSecretStore, type SecretStore } from '../shared/secrets/secrets.ts';
import {
  type LaneResult,
  lowRateSchedule,
  recordingCallbackQueue,
  replayCallbacks,
} from './callback-lanes.ts';
import { startReceiver } from './callback-receiver.ts';
import { endEvent, webhookEvent } from './cost-events.ts';
import { type Counters, countingClient } from './counting-client.ts';
import { PRICES } from './prices.ts';
import { dollarsPerMillion, sum } from './pricing.ts';
import { round } from './stats.ts';

export interface Cost {
  webhooks: number;
  per_webhook: Record<string, number>;
  dollars_per_million: Record<string, number>;
  total_per_million: number;
  /**
   * The provider's end-of-call notification, for deployments that paste its template: one
   * more API request, an events invocation and its reads and writes, per webhook.
   */
  end_event: { per_webhook: Record<string, number>; dollars_per_million: number };
  /** How fast the webhooks came: one after the other, each as soon as the last was answered. */
  webhooks_per_second: number;
  /**
   * Status callbacks, for routes with a `callback_url`: one queued message per state change
   * (queued, dialing, placed, completed), delivered by the callbacks function. Batched as the
   * stack's event source batches them, at the rate this bench queued them; then the floor, one
   * delivery per batch (what a low rate gives); then a low rate with the window, for its delay.
   */
  status_callbacks: CallbackFigures & {
    unbatched_floor: CallbackFigures;
    low_rate: CallbackFigures & { setup: string };
  };
  fixed_per_month: { nat_gateway_and_ip_each: number };
  prices: typeof PRICES;
}

export interface CallbackFigures {
  per_webhook: Record<string, number>;
  dollars_per_million: number;
  batches: number;
  messages_per_batch: number;
  /** The delivery log's writes per webhook if a batch wrote once per call in it (not built). */
  log_writes_if_one_per_call_in_a_batch: number;
  /** From the message's send to the receiver's receipt, in ms. */
  delay_ms: { p50: number; p99: number };
}

/** A low rate: calls further apart than the batching window, each call's end later still. */
const LOW_RATE = { calls: 5, gapMs: 4_000, endAfterMs: 2_000 };

const rounded = (record: Record<string, number>) =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [key, round(value, 3)]));

const callbackFigures = (lane: LaneResult): CallbackFigures => ({
  per_webhook: rounded({ ...lane.usage }),
  dollars_per_million: round(sum(dollarsPerMillion(lane.usage))),
  batches: lane.batches,
  messages_per_batch: lane.messages_per_batch,
  log_writes_if_one_per_call_in_a_batch: lane.log_writes_if_one_per_call_in_a_batch,
  delay_ms: lane.delay_ms,
});

/**
 * Runs `webhooks` events through ingest and dispatch in-process (dynalite, the in-process queue,
 * the simulator over HTTP), counting every AWS operation one webhook causes, and prices them.
 */
export const measureCost = async (webhooks: number): Promise<Cost> => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  const dynamo = await startDynalite();
  const simulator = await startSimulator({
    keys: { 'demo-access-key': 'valid' },
    virtualNumbers: ['74993720692'],
  });
  const receiver = await startReceiver();
  try {
    const names = { calls: 'calls', contacts: 'contacts', limits: 'limits' };
    await createTables(dynamo.clientConfig, names);
    const counters: Counters = { readUnits: 0, writeUnits: 0, indexWriteUnits: 0, dynamoCalls: 0 };
    const client = countingClient(dynamo.clientConfig, names, counters);
    // Reads counted per secret, so each one is charged to the function that reads it.
    const secretReadsOf = new Map<string, number>();
    const readsOf = (name: string) => secretReadsOf.get(name) ?? 0;
    const fileSecrets: Record<string, string> = {
      'demo/hook-token': 'demo-token',
      'demo/events-token': 'demo-events-token',
      'demo/callapi': JSON.stringify({ access_token: 'demo-access-key' }),
    };
    const source: SecretStore = {
      get: async (name) => {
        secretReadsOf.set(name, (secretReadsOf.get(name) ?? 0) + 1);
        return fileSecrets[name] ?? '';
      },
    };
    const secrets = new CachedSecretStore(source);
    const config = await loadConfigFile('callhook.config.json');
    fileSecrets['demo/callback-key'] = `whsec_${randomBytes(24).toString('base64')}`;
    config.routes.callback = {
      ...(config.routes.callback as RouteConfig),
      callback_url: receiver.url,
      callback_secret: 'demo/callback-key',
    };
    const queue = new InProcessQueue({ concurrency: 2, batchSize: 10 });
    // The status callbacks are kept with when they were queued, and delivered afterwards (below)
    // on the same schedule, once batched as on AWS and once one by one.
    const callbacksQueued = recordingCallbackQueue();
    const logger = createLogger('bench');
    const store = new NotifyingCallStore(
      new DynamoDbCallStore({ tableName: names.calls, client }),
      config,
      callbacksQueued.queue,
      logger,
    );
    const contacts = new DynamoDbContactCapStore({
      tableName: names.contacts,
      client,
      hashKey: async () => 'bench-contact-hash-key',
    });
    const ingest = createIngestHandler({
      config,
      numbering: numberingForConfig(config),
      store,
      queue,
      keptEvents: new DynamoDbKeptEvents({ tableName: names.calls, client }),
      secrets,
      contacts,
      contactWindows: new DynamoDbContactWindowStore({
        tableName: names.contacts,
        client,
        hashKey: async () => 'bench-contact-hash-key',
      }),
      logger,
      now: () => new Date(),
      timing: SWEEP_TIMING,
    });
    const dispatch = createDispatchHandler({
      config,
      store,
      queue,
      limits: new DynamoDbLimitsStore({ tableName: names.limits, client }),
      connection: { secrets, simulatorUrls: { callapi: simulator.url }, logger },
      logger,
      now: () => new Date(),
    });
    let lambdaMs = 0;
    let invocations = 0;
    let receivedMessages = 0;
    const timed = async <T>(run: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      try {
        return await run();
      } finally {
        lambdaMs += performance.now() - started;
        invocations += 1;
      }
    };
    queue.start(async (batch: SQSEvent) => {
      receivedMessages += batch.Records.length;
      return (await timed(() => dispatch(batch, lambdaContext('dispatch')))) as SQSBatchResponse;
    });
    const ingestStarted = performance.now();
    for (let i = 0; i < webhooks; i += 1) {
      await timed(() => ingest(webhookEvent(i), lambdaContext('ingest')));
    }
    const webhooksPerSecond = webhooks / ((performance.now() - ingestStarted) / 1000);
    await queue.whenIdle();
    await queue.stop();
    const batches = invocations - webhooks;
    if (simulator.calls().length !== webhooks) throw new Error('not every webhook placed a call');

    const perWebhook = {
      api_requests: 1,
      lambda_invocations: invocations / webhooks,
      lambda_ms: lambdaMs / webhooks,
      // A send, a receive per batch and a delete per batch (the event source batches both).
      sqs_requests: (queue.sentCount + batches * 2) / webhooks,
      dynamodb_calls: counters.dynamoCalls / webhooks,
      dynamodb_read_units: counters.readUnits / webhooks,
      dynamodb_write_units: (counters.writeUnits + counters.indexWriteUnits) / webhooks,
      secrets_manager_calls: (readsOf('demo/hook-token') + readsOf('demo/callapi')) / webhooks,
      messages_received: receivedMessages / webhooks,
    };
    const dollars = dollarsPerMillion(perWebhook);

    // The end of each call, as the provider reports it, through the events function.
    const events = createEventsHandler({
      config,
      store,
      contacts,
      secrets,
      logger,
      now: () => new Date(),
    });
    const before = { ...counters, lambdaMs };
    for (const call of simulator.calls()) {
      const answer = await timed(() =>
        events(endEvent(call.call_session_id, call.params.external_id), lambdaContext('events')),
      );
      if (answer.statusCode !== 200) throw new Error(`events answered ${answer.statusCode}`);
    }
    const endUsage = {
      api_requests: 1,
      lambda_invocations: 1,
      lambda_ms: (lambdaMs - before.lambdaMs) / webhooks,
      sqs_requests: 0,
      dynamodb_calls: (counters.dynamoCalls - before.dynamoCalls) / webhooks,
      dynamodb_read_units: (counters.readUnits - before.readUnits) / webhooks,
      dynamodb_write_units:
        (counters.writeUnits +
          counters.indexWriteUnits -
          before.writeUnits -
          before.indexWriteUnits) /
        webhooks,
      secrets_manager_calls: readsOf('demo/events-token') / webhooks,
    };
    for (const call of simulator.calls()) {
      const record = await store.get(String(call.params.external_id));
      if (record?.status !== 'completed') throw new Error('an end-of-call event was not recorded');
    }
    const callbacksSent = callbacksQueued.sent;
    if (callbacksSent.length !== webhooks * 4) throw new Error('a status callback was not queued');
    const lanes = { config, secrets: source, dynamo: dynamo.clientConfig, receiver, logger };
    const batched = await replayCallbacks(
      callbacksSent,
      {
        name: 'batched',
        batchSize: CALLBACK_BATCHING.batchSize,
        batchingWindowMs: CALLBACK_BATCHING.windowSeconds * 1000,
        concurrency: CALLBACK_BATCHING.maxConcurrency,
      },
      { ...lanes, webhooks },
    );
    const floor = await replayCallbacks(
      callbacksSent,
      {
        name: 'floor',
        batchSize: 1,
        batchingWindowMs: 0,
        concurrency: CALLBACK_BATCHING.maxConcurrency,
      },
      { ...lanes, webhooks },
    );
    const lowRate = LOW_RATE;
    const lowRateResult = await replayCallbacks(
      lowRateSchedule(callbacksSent, lowRate.calls, lowRate.gapMs, lowRate.endAfterMs),
      {
        name: 'low-rate',
        batchSize: CALLBACK_BATCHING.batchSize,
        batchingWindowMs: CALLBACK_BATCHING.windowSeconds * 1000,
        concurrency: CALLBACK_BATCHING.maxConcurrency,
      },
      { ...lanes, webhooks: lowRate.calls },
    );
    return {
      webhooks,
      per_webhook: rounded(perWebhook),
      dollars_per_million: rounded(dollars),
      total_per_million: round(sum(dollars)),
      end_event: {
        per_webhook: rounded(endUsage),
        dollars_per_million: round(sum(dollarsPerMillion(endUsage))),
      },
      webhooks_per_second: round(webhooksPerSecond, 0),
      status_callbacks: {
        ...callbackFigures(batched),
        unbatched_floor: callbackFigures(floor),
        low_rate: {
          ...callbackFigures(lowRateResult),
          setup: `${lowRate.calls} calls ${lowRate.gapMs / 1000} s apart, each call's end ${lowRate.endAfterMs / 1000} s after it was placed`,
        },
      },
      fixed_per_month: {
        nat_gateway_and_ip_each: round(
          (PRICES.nat_gateway_per_hour + PRICES.public_ipv4_per_hour) * 730,
        ),
      },
      prices: PRICES,
    };
  } finally {
    await receiver.close();
    await simulator.close();
    await dynamo.close();
  }
};
