import { performance } from 'node:perf_hooks';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createDispatchHandler } from '../functions/dispatch/handler.ts';
import { createIngestHandler } from '../functions/ingest/handler.ts';
import { createTables, startDynalite } from '../infra/local/dynalite.ts';
import { lambdaContext } from '../infra/local/lambda-context.ts';
import { startSimulator } from '../infra/local/simulator/simulator.ts';
import { DynamoDbCallStore } from '../shared/adapters/dynamodb/dynamodb-call-store.ts';
import { DynamoDbContactCapStore } from '../shared/adapters/dynamodb/dynamodb-contact-cap-store.ts';
import { DynamoDbLimitsStore } from '../shared/adapters/dynamodb/dynamodb-limits-store.ts';
import { InProcessQueue } from '../shared/adapters/local/in-process-queue.ts';
import { loadConfigFile } from '../shared/config/load.ts';
import { CachedSecretStore, type SecretStore } from '../shared/config/secrets.ts';
import { createLogger } from '../shared/logging/logger.ts';
import { numberingForConfig } from '../shared/routes/numbering-for.ts';
import { PRICES } from './prices.ts';
import { round } from './stats.ts';

export interface Cost {
  webhooks: number;
  per_webhook: Record<string, number>;
  dollars_per_million: Record<string, number>;
  total_per_million: number;
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
 * reports the table's units; index writes it does not report, so they are counted from each
 * request by `indexWrites`.
 */
const countingClient = (clientConfig: DynamoDBClientConfig, counters: Counters) => {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig), {
    marshallOptions: { removeUndefinedValues: true },
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const output = result.output as { ConsumedCapacity?: { CapacityUnits?: number } };
      const units = output.ConsumedCapacity?.CapacityUnits ?? 0;
      const command = String(context.commandName);
      counters.dynamoCalls += 1;
      if (/^(Get|Query)/.test(command)) counters.readUnits += units;
      else counters.writeUnits += units;
      if (input.TableName === 'calls') counters.indexWriteUnits += indexWrites(command, input);
      return result;
    },
    { step: 'initialize', name: 'countCapacity' },
  );
  return client;
};

/**
 * Index units one write to the calls table costs (keys-only projections: one unit an entry).
 * Every transition changes `status`, the `by-sweep` partition key: an entry that stays is
 * rewritten (out and in), one that goes is deleted, a new one is put. `session_key` is set once.
 */
const indexWrites = (command: string, input: Record<string, unknown>): number => {
  if (command.startsWith('Put')) return JSON.stringify(input.Item).includes('"sweep_at"') ? 1 : 0;
  if (!command.startsWith('Update')) return 0;
  const [setPart = '', removePart = ''] = String(input.UpdateExpression).split(' REMOVE ');
  const names = JSON.stringify(input.ExpressionAttributeNames ?? {});
  const sweep = names.includes('"sweep_at"');
  let units = 0;
  if (sweep && setPart.includes('#sweep_at')) units += 2;
  else if (sweep && removePart.includes('#sweep_at')) units += 1;
  if (setPart.includes('#session_key')) units += 1;
  return units;
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
  try {
    const names = { calls: 'calls', contacts: 'contacts', limits: 'limits' };
    await createTables(dynamo.clientConfig, names);
    const counters: Counters = { readUnits: 0, writeUnits: 0, indexWriteUnits: 0, dynamoCalls: 0 };
    const client = countingClient(dynamo.clientConfig, counters);
    let secretReads = 0;
    const fileSecrets: Record<string, string> = {
      'demo/hook-token': 'demo-token',
      'demo/callapi': JSON.stringify({ access_token: 'demo-access-key' }),
    };
    const source: SecretStore = {
      get: async (name) => {
        secretReads += 1;
        return fileSecrets[name] ?? '';
      },
    };
    const secrets = new CachedSecretStore(source);
    const config = await loadConfigFile('callhook.config.json');
    const queue = new InProcessQueue({ concurrency: 2, batchSize: 10 });
    const store = new DynamoDbCallStore({ tableName: names.calls, client });
    const logger = createLogger('bench');
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
    for (let i = 0; i < webhooks; i += 1) {
      await timed(() => ingest(event(i), lambdaContext('ingest')));
    }
    await new Promise<void>((resolve) => {
      if (queue.depth === 0) resolve();
      else queue.once('idle', resolve);
    });
    await queue.stop();
    const batches = invocations - webhooks;
    if (simulator.calls().length !== webhooks) throw new Error('not every webhook placed a call');

    // Lambda bills memory × time: 512 MB for every function in the CDK app.
    const gbSeconds = (lambdaMs / 1000) * 0.5;
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
    const million = 1_000_000;
    const dollars = {
      api_gateway: PRICES.api_gateway_http_per_million,
      lambda_requests: perWebhook.lambda_invocations * PRICES.lambda_per_million_requests,
      lambda_compute: (gbSeconds / webhooks) * million * PRICES.lambda_arm_per_gb_second,
      sqs: perWebhook.sqs_requests * PRICES.sqs_per_million_requests,
      dynamodb:
        perWebhook.dynamodb_write_units * PRICES.dynamodb_per_million_write_units +
        perWebhook.dynamodb_read_units * PRICES.dynamodb_per_million_read_units,
      secrets_manager:
        (perWebhook.secrets_manager_calls * million * PRICES.secrets_manager_per_10k_calls) /
        10_000,
    };
    const rounded = (record: Record<string, number>) =>
      Object.fromEntries(Object.entries(record).map(([key, value]) => [key, round(value, 3)]));
    return {
      webhooks,
      per_webhook: rounded(perWebhook),
      dollars_per_million: rounded(dollars),
      total_per_million: round(Object.values(dollars).reduce((sum, value) => sum + value, 0)),
      fixed_per_month: {
        nat_gateway_and_ip_each: round(
          (PRICES.nat_gateway_per_hour + PRICES.public_ipv4_per_hour) * 730,
        ),
      },
      prices: PRICES,
    };
  } finally {
    await simulator.close();
    await dynamo.close();
  }
};
