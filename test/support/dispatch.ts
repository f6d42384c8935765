import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll } from 'vitest';
import { createTables, type RunningDynalite, startDynalite } from '../../infra/local/dynalite.ts';
import { startSimulator } from '../../infra/local/simulator/simulator.ts';
import { DynamoDbCallStore } from '../../shared/adapters/dynamodb/dynamodb-call-store.ts';
import { DynamoDbLimitsStore } from '../../shared/adapters/dynamodb/dynamodb-limits-store.ts';
import type { CallRecord } from '../../shared/calls/call-record.ts';
import type { DispatchMessage, DispatchQueue } from '../../shared/calls/dispatch-queue.ts';
import { parseConfig } from '../../shared/config/load.ts';
import type { CallhookConfig } from '../../shared/config/schema.ts';
import type { SendOptions } from '../../shared/queue/message-queue.ts';
import type { SecretStore } from '../../shared/secrets/secrets.ts';

/** A config with one simple-call route on an account at `baseUrl`. */
export const dispatchConfig = (baseUrl: string, maxAttempts = 3): CallhookConfig =>
  parseConfig(
    {
      accounts: {
        acme: { base_url: baseUrl, secret: 'acme/callapi', virtual_phone_number: '74993720692' },
      },
      routes: {
        callback: {
          account: 'acme',
          auth: { type: 'token', secret: 'acme/hook' },
          call: {
            method: 'start.simple_call',
            contact: 'phone',
            params: { first_call: 'operator', operator: '74951234567' },
          },
          max_attempts: maxAttempts,
        },
      },
    },
    'test',
  );

export const queuedRecord = (callId: string, maxAttempts = 3): CallRecord => {
  const at = new Date().toISOString();
  return {
    call_id: callId,
    route: 'callback',
    account: 'acme',
    status: 'queued',
    request: {
      method: 'start.simple_call',
      params: {
        first_call: 'operator',
        operator: '74951234567',
        virtual_phone_number: '74993720692',
        contact: '79260000000',
      },
    },
    fingerprint: 'f',
    attempts: 0,
    max_attempts: maxAttempts,
    history: [{ status: 'queued', at }],
    version: 1,
    created_at: at,
    updated_at: at,
    expires_at: Math.floor(Date.now() / 1000) + 3600,
  };
};

/** One SQS record as Lambda hands it over, holding `body`. */
export const sqsRecord = (
  messageId: string,
  body: string,
  queue = 'test',
): SQSEvent['Records'][number] => ({
  messageId,
  receiptHandle: messageId,
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '0',
    SenderId: 'test',
    ApproximateFirstReceiveTimestamp: '0',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: `arn:aws:sqs:local:000000000000:${queue}`,
  awsRegion: 'local',
});

export const sqsEvent = (...callIds: string[]): SQSEvent => ({
  Records: callIds.map((callId, i) =>
    sqsRecord(`m-${i}-${callId}`, JSON.stringify({ call_id: callId })),
  ),
});

/** The calls and limits tables in a fresh in-memory dynalite. */
export const startCallsTable = async (start: () => Promise<RunningDynalite> = startDynalite) => {
  const dynamo = await start();
  await createTables(dynamo.clientConfig, {
    calls: 'calls',
    contacts: 'contacts',
    limits: 'limits',
  });
  const store = new DynamoDbCallStore({ tableName: 'calls', clientConfig: dynamo.clientConfig });
  const limits = new DynamoDbLimitsStore({
    tableName: 'limits',
    clientConfig: dynamo.clientConfig,
  });
  return { store, limits, clientConfig: dynamo.clientConfig, close: dynamo.close };
};

/** A dispatch queue that only remembers what was sent, for tests that drive dispatch by hand. */
export const recordingQueue = () => {
  const sent: { message: DispatchMessage; options: SendOptions | undefined }[] = [];
  const queue: DispatchQueue = {
    send: async (message, options) => {
      sent.push({ message, options });
    },
  };
  return { queue, sent };
};

/** The permanent key the fixture's simulator accepts, as the secrets port hands it out. */
export const keySecrets: SecretStore = {
  get: async () => JSON.stringify({ access_token: 'key' }),
};

/** Tables in dynalite and a simulator accepting `keySecrets`, for tests that drive dispatch. */
export const startDispatchFixture = async () => {
  const table = await startCallsTable();
  const simulator = await startSimulator({
    keys: { key: 'valid' },
    virtualNumbers: ['74993720692'],
  });
  return {
    table,
    simulator,
    close: async () => {
      await simulator.close();
      await table.close();
    },
  };
};

/**
 * The dispatch fixture for a whole suite: started before its tests, closed after them. Read
 * `table` and `simulator` inside tests, once the suite has started.
 */
export const dispatchFixtureForSuite = () => {
  let fixture: Awaited<ReturnType<typeof startDispatchFixture>> | undefined;
  beforeAll(async () => {
    fixture = await startDispatchFixture();
  });
  afterAll(() => fixture?.close());
  const started = () => {
    if (fixture === undefined) throw new Error('the dispatch fixture starts in beforeAll');
    return fixture;
  };
  return {
    get table() {
      return started().table;
    },
    get simulator() {
      return started().simulator;
    },
  };
};
