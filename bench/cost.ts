import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createCallbacksHandler } from '../functions/callbacks/handler.ts';
import { createDispatchHandler } from '../functions/dispatch/handler.ts';
import { createEventsHandler } from '../functions/events/handler.ts';
import { createIngestHandler } from '../functions/ingest/handler.ts';
import { createTables, startDynalite } from '../infra/local/dynalite.ts';
import { lambdaContext } from '../infra/local/lambda-context.ts';
import { startSimulator } from '../infra/local/simulator/simulator.ts';
import { DynamoDbCallStore } from '../shared/adapters/dynamodb/dynamodb-call-store.ts';
import { DynamoDbContactCapStore } from '../shared/adapters/dynamodb/dynamodb-contact-cap-store.ts';
import { DynamoDbLimitsStore } from '../shared/adapters/dynamodb/dynamodb-limits-store.ts';
import { TABLES, type TableKey } from '../shared/adapters/dynamodb/tables.ts';
import { InProcessQueue } from '../shared/adapters/local/in-process-queue.ts';
import type { CallbackMessage } from '../shared/callbacks/callback-message.ts';
import { NotifyingCallStore } from '../shared/callbacks/notifying-call-store.ts';
import { loadConfigFile } from '../shared/config/load.ts';
import type { RouteConfig } from '../shared/config/schema.ts';
import { CachedSecretStore, type SecretStore } from '../shared/config/secrets.ts';
import { createLogger } from '../shared/logging/logger.ts';
import { numberingForConfig } from '../shared/routes/numbering-for.ts';
import { startReceiver } from './callback-receiver.ts';
import { type Index, type Item, indexWrites } from './index-writes.ts';
import { PRICES } from './prices.ts';
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
  /**
   * Status callbacks, for routes with a `callback_url`: one queued message per state change
   * (queued, dialing, placed, completed), delivered by the callbacks function.
   */
  status_callbacks: { per_webhook: Record<string, number>; dollars_per_million: number };
  fixed_per_month: { nat_gateway_and_ip_each: number };
  prices: typeof PRICES;
}

interface Counters {
  readUnits: number;
  writeUnits: number;
  indexWriteUnits: number;
  dynamoCalls: number;
}

/**
 * A DynamoDB client that asks for consumed capacity on every request and adds it up. dynalite
 * reports the table's units but not the indexes': for a write to a table with indexes, the item
 * is read before and after (by a client that is not counted) and `indexWrites` prices the change.
 */
const countingClient = (
  clientConfig: DynamoDBClientConfig,
  names: Record<TableKey, string>,
  counters: Counters,
) => {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const images = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig));
  const indexesOf = new Map<string, readonly Index[]>(
    (Object.keys(names) as TableKey[]).map((key) => [names[key], TABLES[key].indexes]),
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const command = String(context.commandName);
      const tableName = String(input.TableName);
      const indexes = indexesOf.get(tableName) ?? [];
      const writes = /^(Put|Update|Delete)Item/.test(command) && indexes.length > 0;
      const key = (input.Key ?? { call_id: (input.Item as Item | undefined)?.call_id }) as Item;
      const image = async () =>
        (
          await images.send(
            new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
          )
        ).Item;
      const before = writes ? await image() : undefined;
      let result: Awaited<ReturnType<typeof next>>;
      try {
        result = await next(args);
      } catch (error) {
        // A write refused by its condition is still billed, at least one unit.
        if ((error as Error).name === 'ConditionalCheckFailedException') {
          counters.dynamoCalls += 1;
          counters.writeUnits += 1;
        }
        throw error;
      }
      // The image is awaited before the sum is read: `a += await b` would lose concurrent adds.
      const indexUnits = writes ? indexWrites(indexes, before, await image()) : 0;
      counters.indexWriteUnits += indexUnits;
      const output = result.output as { ConsumedCapacity?: { CapacityUnits?: number } };
      const tableUnits = output.ConsumedCapacity?.CapacityUnits ?? 0;
      counters.dynamoCalls += 1;
      if (/^(Get|Query)/.test(command)) counters.readUnits += tableUnits;
      else counters.writeUnits += tableUnits;
      return result;
    },
    { step: 'initialize', name: 'countCapacity' },
  );
  return client;
};

const event = (i: number): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'POST /hooks/callback',
    rawPath: '/hooks/callback',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'x-callhook-token': 'demo-token' },
    pathParameters: { route: 'callback' },
    requestContext: { requestId: `c${i}`, http: { method: 'POST', path: '/hooks/callback' } },
    isBase64Encoded: false,
    body: JSON.stringify({ phone: `+7926${String(5_000_000 + i).padStart(7, '0')}` }),
  }) as unknown as APIGatewayProxyEventV2;

/** What one webhook uses of each priced AWS operation, on average. */
interface Usage {
  api_requests: number;
  lambda_invocations: number;
  lambda_ms: number;
  sqs_requests: number;
  dynamodb_read_units: number;
  dynamodb_write_units: number;
  secrets_manager_calls: number;
}

/** Dollars per million webhooks for a usage; Lambda bills 512 MB (every callhook function). */
const dollarsPerMillion = (usage: Usage): Record<string, number> => {
  const million = 1_000_000;
  return {
    api_gateway: usage.api_requests * PRICES.api_gateway_http_per_million,
    lambda_requests: usage.lambda_invocations * PRICES.lambda_per_million_requests,
    lambda_compute: (usage.lambda_ms / 1000) * 0.5 * million * PRICES.lambda_arm_per_gb_second,
    sqs: usage.sqs_requests * PRICES.sqs_per_million_requests,
    dynamodb:
      usage.dynamodb_write_units * PRICES.dynamodb_per_million_write_units +
      usage.dynamodb_read_units * PRICES.dynamodb_per_million_read_units,
    secrets_manager:
      (usage.secrets_manager_calls * million * PRICES.secrets_manager_per_10k_calls) / 10_000,
  };
};

const sum = (record: Record<string, number>) =>
  Object.values(record).reduce((total, value) => total + value, 0);

const endEvent = (callSessionId: number, externalId: unknown): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'POST /events/{account}',
    rawPath: '/events/demo',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'x-callhook-token': 'demo-events-token' },
    pathParameters: { account: 'demo' },
    requestContext: {
      requestId: `e${callSessionId}`,
      http: { method: 'POST', path: '/events/demo' },
    },
    isBase64Encoded: false,
    body: JSON.stringify({
      event: 'ended',
      call_session_id: callSessionId,
      external_id: externalId,
      talk_time_duration: 42,
      finish_reason: 'the call ended',
    }),
  }) as unknown as APIGatewayProxyEventV2;

const idle = (queue: InProcessQueue<unknown>) =>
  new Promise<void>((resolve) => {
    if (queue.depth === 0) resolve();
    else queue.once('idle', resolve);
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
    let secretReads = 0;
    const secretReadsOf = new Map<string, number>();
    const fileSecrets: Record<string, string> = {
      'demo/hook-token': 'demo-token',
      'demo/events-token': 'demo-events-token',
      'demo/callapi': JSON.stringify({ access_token: 'demo-access-key' }),
    };
    const source: SecretStore = {
      get: async (name) => {
        secretReads += 1;
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
    const callbackQueue = new InProcessQueue<CallbackMessage>({ concurrency: 2, batchSize: 10 });
    const logger = createLogger('bench');
    const store = new NotifyingCallStore(
      new DynamoDbCallStore({ tableName: names.calls, client }),
      config,
      callbackQueue,
      logger,
    );
    const ingest = createIngestHandler({
      config,
      numbering: numberingForConfig(config),
      store,
      queue,
      secrets,
      contacts: new DynamoDbContactCapStore({ tableName: names.contacts, client }),
      logger,
      now: () => new Date(),
    });
    const dispatch = createDispatchHandler({
      config,
      store,
      queue,
      limits: new DynamoDbLimitsStore({ tableName: names.limits, client }),
      connection: { secrets, simulatorUrl: simulator.url, logger },
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
    // The callbacks function, timed apart: its cost is its own row.
    const callbacks = createCallbacksHandler({
      config,
      secrets,
      queue: callbackQueue,
      logger,
      now: () => new Date(),
    });
    const callbackLambda = { ms: 0, invocations: 0 };
    callbackQueue.start(async (batch: SQSEvent) => {
      const started = performance.now();
      try {
        return (await callbacks(batch, lambdaContext('callbacks'))) as SQSBatchResponse;
      } finally {
        callbackLambda.ms += performance.now() - started;
        callbackLambda.invocations += 1;
      }
    });
    for (let i = 0; i < webhooks; i += 1) {
      await timed(() => ingest(event(i), lambdaContext('ingest')));
    }
    await idle(queue);
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
      secrets_manager_calls: secretReads / webhooks,
      messages_received: receivedMessages / webhooks,
    };
    const dollars = dollarsPerMillion(perWebhook);

    // The end of each call, as the provider reports it, through the events function.
    const events = createEventsHandler({ config, store, secrets, logger, now: () => new Date() });
    const before = { ...counters, lambdaMs, secretReads };
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
      secrets_manager_calls: (secretReads - before.secretReads) / webhooks,
    };
    for (const call of simulator.calls()) {
      const record = await store.get(String(call.params.external_id));
      if (record?.status !== 'completed') throw new Error('an end-of-call event was not recorded');
    }
    await idle(callbackQueue);
    await callbackQueue.stop();
    if (receiver.received() !== webhooks * 4) throw new Error('a status callback went missing');
    const callbackUsage = {
      api_requests: 0,
      lambda_invocations: callbackLambda.invocations / webhooks,
      lambda_ms: callbackLambda.ms / webhooks,
      sqs_requests: (callbackQueue.sentCount + callbackLambda.invocations * 2) / webhooks,
      dynamodb_read_units: 0,
      dynamodb_write_units: 0,
      secrets_manager_calls: (secretReadsOf.get('demo/callback-key') ?? 0) / webhooks,
    };
    const rounded = (record: Record<string, number>) =>
      Object.fromEntries(Object.entries(record).map(([key, value]) => [key, round(value, 3)]));
    return {
      webhooks,
      per_webhook: rounded(perWebhook),
      dollars_per_million: rounded(dollars),
      total_per_million: round(sum(dollars)),
      end_event: {
        per_webhook: rounded(endUsage),
        dollars_per_million: round(sum(dollarsPerMillion(endUsage))),
      },
      status_callbacks: {
        per_webhook: rounded(callbackUsage),
        dollars_per_million: round(sum(dollarsPerMillion(callbackUsage))),
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
