import { performance } from 'node:perf_hooks';
import { setTimeout as wait } from 'node:timers/promises';
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createCallbacksHandler } from '../functions/callbacks/handler.ts';
import { createTables } from '../infra/local/dynalite.ts';
import { lambdaContext } from '../infra/local/lambda-context.ts';
import { DynamoDbCallStore } from '../shared/adapters/dynamodb/dynamodb-call-store.ts';
import { InProcessQueue } from '../shared/adapters/local/in-process-queue.ts';
import type { CallbackMessage, CallbackQueue } from '../shared/callbacks/callback-message.ts';
import type { CallhookConfig } from '../shared/config/schema.ts';
import type { Logger } from '../shared/logging/logger.ts';
import { CachedSecretStore, type SecretStore } from '../shared/secrets/secrets.ts';
import type { Receiver } from './callback-receiver.ts';
import { type Counters, countingClient } from './counting-client.ts';
import type { Usage } from './pricing.ts';
import { percentile, round } from './stats.ts';

/** A status callback as the pipeline queued it, and when (`performance.now()`). */
export interface SentCallback {
  at: number;
  message: CallbackMessage;
}

/** A callbacks queue that only keeps what is sent and when, for the lanes to replay. */
export const recordingCallbackQueue = (): { queue: CallbackQueue; sent: SentCallback[] } => {
  const sent: SentCallback[] = [];
  return {
    sent,
    queue: {
      send: async (message) => {
        sent.push({ at: performance.now(), message });
      },
    },
  };
};

export interface Lane {
  name: string;
  batchSize: number;
  batchingWindowMs: number;
  /** Batches in the callbacks function at once. */
  concurrency: number;
}

export interface LaneResult {
  /** Per webhook, as `dollarsPerMillion` prices it. */
  usage: Usage;
  batches: number;
  deliveries: number;
  messages_per_batch: number;
  /**
   * The delivery log's writes per webhook if each batch wrote once per call it holds, where it
   * writes once per delivery now: what that change would save, not built.
   */
  log_writes_if_one_per_call_in_a_batch: number;
  /** From the message's send to the receiver's receipt of its POST, in ms. */
  delay_ms: { p50: number; p99: number };
}

export interface LaneContext {
  config: CallhookConfig;
  /** The secrets as stored (uncached): each lane caches them afresh and counts its reads. */
  secrets: SecretStore;
  dynamo: DynamoDBClientConfig;
  receiver: Receiver;
  logger: Logger;
  webhooks: number;
}

/**
 * Replays `sent` on its own schedule (the same gaps between sends) into a callbacks queue
 * batched as `lane` says, delivered by the callbacks function to the receiver, with the delivery
 * log in tables of the lane's own; counts what AWS bills per webhook and times each delivery.
 *
 * SQS as the event source uses it: one `ReceiveMessage` and one `DeleteMessageBatch` per batch.
 * AWS: "Lambda receives these events one batch at a time, and invokes your function once for
 * each batch. When your function successfully processes a batch, Lambda deletes its messages
 * from the queue" (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html); a batch action
 * is one request for up to 10 messages ("manipulate up to 10 messages with a single action",
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-batch-api.html),
 * and the function's `sqs:DeleteMessage` permission is what grants `DeleteMessageBatch`. The
 * receive is a floor: while a window is open the poller may receive more than once to fill its
 * batch, and it long-polls an empty queue too (a fixed cost, not one per delivery).
 */
export const replayCallbacks = async (
  sent: readonly SentCallback[],
  lane: Lane,
  context: LaneContext,
): Promise<LaneResult> => {
  const names = {
    calls: `calls-${lane.name}`,
    contacts: `contacts-${lane.name}`,
    limits: `limits-${lane.name}`,
  };
  await createTables(context.dynamo, names);
  const counters: Counters = { readUnits: 0, writeUnits: 0, indexWriteUnits: 0, dynamoCalls: 0 };
  let secretReads = 0;
  const secrets = new CachedSecretStore({
    get: (name) => {
      secretReads += 1;
      return context.secrets.get(name);
    },
  });
  const queue = new InProcessQueue<CallbackMessage>({
    batchSize: lane.batchSize,
    batchingWindowMs: lane.batchingWindowMs,
    concurrency: lane.concurrency,
  });
  const callbacks = createCallbacksHandler({
    config: context.config,
    secrets,
    queue,
    log: new DynamoDbCallStore({
      tableName: names.calls,
      client: countingClient(context.dynamo, names, counters),
    }),
    logger: context.logger,
    now: () => new Date(),
  });
  const lambda = { ms: 0, invocations: 0, messages: 0, callsInBatches: 0 };
  queue.start(async (batch: SQSEvent) => {
    const started = performance.now();
    try {
      lambda.messages += batch.Records.length;
      lambda.callsInBatches += new Set(
        batch.Records.map((record) => (JSON.parse(record.body) as CallbackMessage).call_id),
      ).size;
      return (await callbacks(batch, lambdaContext('callbacks'))) as SQSBatchResponse;
    } finally {
      lambda.ms += performance.now() - started;
      lambda.invocations += 1;
    }
  });

  context.receiver.clear();
  const sentAt = new Map<string, number>();
  const first = sent[0]?.at ?? 0;
  const started = performance.now();
  for (const { at, message } of sent) {
    const due = started + (at - first);
    if (due > performance.now()) await wait(due - performance.now());
    if (!sentAt.has(message.webhook_id)) sentAt.set(message.webhook_id, performance.now());
    await queue.send(message);
  }
  await queue.whenIdle();
  await queue.stop();
  if (context.receiver.received() !== sent.length) {
    throw new Error(`lane ${lane.name}: a status callback went missing`);
  }
  const delays = [...sentAt].map(([id, at]) => (context.receiver.receivedAt(id) ?? at) - at);
  const { webhooks } = context;
  return {
    usage: {
      api_requests: 0,
      lambda_invocations: lambda.invocations / webhooks,
      lambda_ms: lambda.ms / webhooks,
      // A send per message; a receive and a DeleteMessageBatch per batch.
      sqs_requests: (queue.sentCount + lambda.invocations * 2) / webhooks,
      dynamodb_read_units: counters.readUnits / webhooks,
      dynamodb_write_units: (counters.writeUnits + counters.indexWriteUnits) / webhooks,
      secrets_manager_calls: secretReads / webhooks,
    },
    batches: lambda.invocations,
    deliveries: lambda.messages,
    messages_per_batch: round(lambda.messages / lambda.invocations),
    log_writes_if_one_per_call_in_a_batch: round(lambda.callsInBatches / webhooks),
    delay_ms: { p50: round(percentile(delays, 50), 1), p99: round(percentile(delays, 99), 1) },
  };
};

/**
 * The callbacks of the first `calls` calls as they would come at a low rate: each call's
 * callbacks with the gaps they had between them, except the last (the call's end), which comes
 * `endAfterMs` after the one before it, as a real call's end does; the calls `gapMs` apart.
 */
export const lowRateSchedule = (
  sent: readonly SentCallback[],
  calls: number,
  gapMs: number,
  endAfterMs: number,
): SentCallback[] => {
  const byCall = new Map<string, SentCallback[]>();
  for (const entry of sent) {
    const id = entry.message.call_id ?? entry.message.webhook_id;
    byCall.set(id, [...(byCall.get(id) ?? []), entry]);
  }
  const schedule = [...byCall.values()].slice(0, calls).flatMap((own, i) => {
    const start = i * gapMs;
    const head = own.slice(0, -1);
    const first = head[0]?.at ?? 0;
    const last = head.at(-1)?.at ?? first;
    const end = own.at(-1);
    return [
      ...head.map((entry) => ({ at: start + entry.at - first, message: entry.message })),
      ...(end === undefined || own.length < 2
        ? []
        : [{ at: start + last - first + endAfterMs, message: end.message }]),
    ];
  });
  return schedule.sort((a, b) => a.at - b.at);
};
