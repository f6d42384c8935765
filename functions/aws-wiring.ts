import { SecretsManagerStore } from '../shared/adapters/aws/secrets-manager-store.ts';
import { SqsDispatchQueue } from '../shared/adapters/aws/sqs-dispatch-queue.ts';
import { DynamoDbCallStore } from '../shared/adapters/dynamodb/dynamodb-call-store.ts';
import { DynamoDbLimitsStore } from '../shared/adapters/dynamodb/dynamodb-limits-store.ts';
import { tableName } from '../shared/adapters/dynamodb/tables.ts';
import { parseConfigText } from '../shared/config/load.ts';
import { CachedSecretStore } from '../shared/config/secrets.ts';
import type { SweepDeps } from '../shared/dispatch/sweep.ts';
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

const config = () => parseConfigText(requireEnv('CALLHOOK_CONFIG_JSON'), 'CALLHOOK_CONFIG_JSON');
const store = () => new DynamoDbCallStore({ tableName: tableName('calls'), clientConfig: {} });
const limits = () => new DynamoDbLimitsStore({ tableName: tableName('limits'), clientConfig: {} });
const queue = () =>
  new SqsDispatchQueue({ queueUrl: requireEnv('DISPATCH_QUEUE_URL'), clientConfig: {} });
const secrets = () => new CachedSecretStore(new SecretsManagerStore({ clientConfig: {} }));
const now = () => new Date();

export const awsIngestDeps = async (): Promise<IngestDeps> => ({
  config: config(),
  store: store(),
  queue: queue(),
  secrets: secrets(),
  logger: createLogger('ingest'),
  now,
});

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
