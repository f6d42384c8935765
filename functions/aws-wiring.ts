import { SecretsManagerStore } from '../shared/adapters/aws/secrets-manager-store.ts';
import { SqsDispatchQueue } from '../shared/adapters/aws/sqs-dispatch-queue.ts';
import { DynamoDbCallStore } from '../shared/adapters/dynamodb/dynamodb-call-store.ts';
import { tableName } from '../shared/adapters/dynamodb/tables.ts';
import { parseConfigText } from '../shared/config/load.ts';
import { CachedSecretStore } from '../shared/config/secrets.ts';
import type { DispatchDeps } from '../shared/dispatch/dispatch-call.ts';
import type { IngestDeps } from '../shared/ingest/accept-webhook.ts';
import { createLogger } from '../shared/logging/logger.ts';
import type { CallsDeps } from './calls/handler.ts';

/** The composition root on Lambda: every port gets its AWS adapter, configured from the environment. */

const requireEnv = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '')
    throw new Error(`environment variable ${name} is not set`);
  return value;
};

const config = () => parseConfigText(requireEnv('CALLHOOK_CONFIG_JSON'), 'CALLHOOK_CONFIG_JSON');
const store = () => new DynamoDbCallStore({ tableName: tableName('calls'), clientConfig: {} });
const secrets = () => new CachedSecretStore(new SecretsManagerStore({ clientConfig: {} }));

export const awsIngestDeps = async (): Promise<IngestDeps> => ({
  config: config(),
  store: store(),
  queue: new SqsDispatchQueue({ queueUrl: requireEnv('DISPATCH_QUEUE_URL'), clientConfig: {} }),
  secrets: secrets(),
  logger: createLogger('ingest'),
  now: () => new Date(),
});

export const awsDispatchDeps = async (): Promise<DispatchDeps> => {
  const logger = createLogger('dispatch');
  return {
    config: config(),
    store: store(),
    connection: { secrets: secrets(), logger },
    logger,
    now: () => new Date(),
  };
};

export const awsCallsDeps = async (): Promise<CallsDeps> => {
  const secretStore = secrets();
  const adminKeySecret = requireEnv('ADMIN_KEY_SECRET_NAME');
  return {
    store: store(),
    adminKey: () => secretStore.get(adminKeySecret),
    logger: createLogger('calls'),
  };
};
