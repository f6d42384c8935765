import { SecretsManagerStore } from '../shared/adapters/aws/secrets-manager-store.ts';
import { SqsQueue } from '../shared/adapters/aws/sqs-queue.ts';
import { DynamoDbCallStore } from '../shared/adapters/dynamodb/dynamodb-call-store.ts';
import { DynamoDbContactCapStore } from '../shared/adapters/dynamodb/dynamodb-contact-cap-store.ts';
import { DynamoDbLimitsStore } from '../shared/adapters/dynamodb/dynamodb-limits-store.ts';
import { tableName } from '../shared/adapters/dynamodb/tables.ts';
import type { CallbackMessage } from '../shared/callbacks/callback-message.ts';
import type { CallbackDeps } from '../shared/callbacks/deliver-callback.ts';
import { NotifyingCallStore } from '../shared/callbacks/notifying-call-store.ts';
import type { CallStore } from '../shared/calls/call-store.ts';
import type { DispatchMessage } from '../shared/calls/dispatch-queue.ts';
import { parseTrustedConfigText } from '../shared/config/load-trusted.ts';
import type { CallhookConfig } from '../shared/config/schema.ts';
import { CachedSecretStore } from '../shared/config/secrets.ts';
import type { SweepDeps } from '../shared/dispatch/sweep.ts';
import type { AcceptEventDeps } from '../shared/events/accept-provider-event.ts';
import type { IngestDeps } from '../shared/ingest/accept-webhook.ts';
import { createLogger } from '../shared/logging/logger.ts';
import type { CallsDeps } from './calls/handler.ts';
import type { DeadLetterDeps } from './dead-letter/handler.ts';
import type { DispatchHandlerDeps } from './dispatch/handler.ts';

/** The composition root on Lambda: every port gets its AWS adapter, configured from the environment. */

const requireEnv = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '')
    throw new Error(`environment variable ${name} is not set`);
  return value;
};

/**
 * The config's text: compiled into the bundle by the CDK app (esbuild replaces the expression
 * `process.env.CALLHOOK_CONFIG_JSON` with the text), or read from the environment elsewhere.
 */
let parsedConfig: CallhookConfig | undefined;
/** Parsed once per container, however many ports ask for it. */
const config = (): CallhookConfig => {
  parsedConfig ??= parseTrustedConfigText(
    process.env.CALLHOOK_CONFIG_JSON ?? requireEnv('CALLHOOK_CONFIG_JSON'),
    'CALLHOOK_CONFIG_JSON',
  );
  return parsedConfig;
};
/**
 * The calls table; with a callbacks queue configured, every state change also queues the
 * route's status callback.
 */
const store = (): CallStore => {
  const table = new DynamoDbCallStore({ tableName: tableName('calls'), clientConfig: {} });
  const callbacksUrl = process.env.CALLBACK_QUEUE_URL;
  if (callbacksUrl === undefined || callbacksUrl === '') return table;
  return new NotifyingCallStore(
    table,
    config(),
    new SqsQueue<CallbackMessage>({ queueUrl: callbacksUrl, clientConfig: {} }),
    createLogger('callbacks'),
  );
};
const limits = () => new DynamoDbLimitsStore({ tableName: tableName('limits'), clientConfig: {} });
const queue = () =>
  new SqsQueue<DispatchMessage>({ queueUrl: requireEnv('DISPATCH_QUEUE_URL'), clientConfig: {} });
const secrets = () => new CachedSecretStore(new SecretsManagerStore({ clientConfig: {} }));
const now = () => new Date();

export const awsIngestDeps = async (): Promise<IngestDeps> => {
  const ingestConfig = config();
  const logger = createLogger('ingest');
  for (const [name, route] of Object.entries(ingestConfig.routes)) {
    if (route.auth.type === 'none') {
      logger.warn('route without sender verification: anyone can make it call', { route: name });
    }
  }
  return {
    config: ingestConfig,
    store: store(),
    queue: queue(),
    secrets: secrets(),
    contacts: new DynamoDbContactCapStore({ tableName: tableName('contacts'), clientConfig: {} }),
    logger,
    now,
  };
};

export const awsDispatchDeps = async (): Promise<DispatchHandlerDeps> => {
  const logger = createLogger('dispatch');
  return {
    config: config(),
    store: store(),
    limits: limits(),
    queue: queue(),
    connection: { secrets: secrets(), logger },
    logger,
    now,
  };
};

export const awsSweepDeps = async (): Promise<SweepDeps> => {
  const logger = createLogger('sweeper');
  return {
    config: config(),
    store: store(),
    queue: queue(),
    connection: { secrets: secrets(), logger },
    logger,
    now,
  };
};

export const awsDeadLetterDeps = async (): Promise<DeadLetterDeps> => ({
  store: store(),
  logger: createLogger('dead-letter'),
  now,
});

export const awsCallsDeps = async (): Promise<CallsDeps> => {
  const secretStore = secrets();
  const adminKeySecret = requireEnv('ADMIN_KEY_SECRET_NAME');
  const logger = createLogger('calls');
  return {
    config: config(),
    store: store(),
    queue: queue(),
    connection: { secrets: secretStore, logger },
    adminKey: () => secretStore.get(adminKeySecret),
    logger,
    now,
  };
};

export const awsEventsDeps = async (): Promise<AcceptEventDeps> => ({
  config: config(),
  store: store(),
  secrets: secrets(),
  logger: createLogger('events'),
  now,
});

export const awsCallbacksDeps = async (): Promise<CallbackDeps> => ({
  config: config(),
  secrets: secrets(),
  queue: new SqsQueue<CallbackMessage>({
    queueUrl: requireEnv('CALLBACK_QUEUE_URL'),
    clientConfig: {},
  }),
  logger: createLogger('callbacks'),
  now,
});
