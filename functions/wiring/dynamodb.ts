import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClientFrom } from '../../shared/adapters/dynamodb/document-client.ts';
import { DynamoDbCallStore } from '../../shared/adapters/dynamodb/dynamodb-call-store.ts';
import { DynamoDbContactCapStore } from '../../shared/adapters/dynamodb/dynamodb-contact-cap-store.ts';
import { DynamoDbContactWindowStore } from '../../shared/adapters/dynamodb/dynamodb-contact-window-store.ts';
import { DynamoDbKeptEvents } from '../../shared/adapters/dynamodb/dynamodb-kept-events.ts';
import { DynamoDbLimitsStore } from '../../shared/adapters/dynamodb/dynamodb-limits-store.ts';
import { DynamoDbRateWindowStore } from '../../shared/adapters/dynamodb/dynamodb-rate-window-store.ts';
import { tableName } from '../../shared/adapters/dynamodb/tables.ts';
import { NotifyingCallStore } from '../../shared/callbacks/notifying-call-store.ts';
import type { CallStore } from '../../shared/calls/call-store.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { config } from './env.ts';
import { callbackQueue } from './sqs.ts';

let calls: DynamoDBDocumentClient | undefined;
/** One client for a function's stores in the calls table: one pool of connections. */
const callsClient = (): DynamoDBDocumentClient =>
  (calls ??= documentClientFrom({ clientConfig: {} }));

/**
 * The calls table; with a callbacks queue configured, every state change also queues the
 * route's status callback.
 */
export const callStore = (): CallStore => {
  const table = new DynamoDbCallStore({ tableName: tableName('calls'), client: callsClient() });
  const callbacksUrl = process.env.CALLBACK_QUEUE_URL;
  if (callbacksUrl === undefined || callbacksUrl === '') return table;
  return new NotifyingCallStore(table, config(), callbackQueue(), createLogger('callbacks'));
};

/**
 * The accepted events' payloads, beside their calls in the calls table, through the calls'
 * client: ingest's write of one follows the record's on a connection already open.
 */
export const keptEvents = () =>
  new DynamoDbKeptEvents({ tableName: tableName('calls'), client: callsClient() });

/** The calls table as the callbacks deliverer writes it: one delivery entry at a time. */
export const callbackLog = () =>
  new DynamoDbCallStore({
    tableName: tableName('calls'),
    clientConfig: {},
    deliveryLogDays: config().retention_days,
  });

export const limitsStore = () =>
  new DynamoDbLimitsStore({ tableName: tableName('limits'), clientConfig: {} });

/** `hashKey`: the per-deployment key the contacts table's numbers are hashed with. */
export const contactCapStore = (hashKey: () => Promise<string>) =>
  new DynamoDbContactCapStore({ tableName: tableName('contacts'), clientConfig: {}, hashKey });

/** The route groups' contact windows, in the contacts table, hashed with the same key. */
export const contactWindowStore = (hashKey: () => Promise<string>) =>
  new DynamoDbContactWindowStore({ tableName: tableName('contacts'), clientConfig: {}, hashKey });

/** The browser forms' sliding windows, in the contacts table, hashed with the same key. */
export const rateWindowStore = (hashKey: () => Promise<string>) =>
  new DynamoDbRateWindowStore({ tableName: tableName('contacts'), clientConfig: {}, hashKey });
