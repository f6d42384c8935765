import { SecretsManagerStore } from '../shared/adapters/aws/secrets-manager-store.ts';
import { SqsQueue } from '../shared/adapters/aws/sqs-queue.ts';
import { DynamoDbCallStore } from '../shared/adapters/dynamodb/dynamodb-call-store.ts';
import { DynamoDbLimitsStore } from '../shared/adapters/dynamodb/dynamodb-limits-store.ts';
import { tableName } from '../shared/adapters/dynamodb/tables.ts';
import type { CallbackMessage } from '../shared/callbacks/callback-message.ts';
import { NotifyingCallStore } from '../shared/callbacks/notifying-call-store.ts';
import type { CallStore } from '../shared/calls/call-store.ts';
import type { DispatchMessage } from '../shared/calls/dispatch-queue.ts';
import type { CallhookConfig } from '../shared/config/schema.ts';
import { CachedSecretStore } from '../shared/config/secrets.ts';
import { createLogger } from '../shared/logging/logger.ts';

/**
 * What every function's composition root on Lambda builds from: each port's AWS adapter,
 * configured from the environment. Each function's `aws-deps.ts` takes only what it uses, so
 * its bundle loads only the AWS SDK clients it needs.
 */

export const requireEnv = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '')
    throw new Error(`environment variable ${name} is not set`);
  return value;
};

/**
 * The config, compiled into the bundle by the CDK app after the checked schema parsed it (esbuild
 * replaces the expression with the JSON text; see `compiledDefine`). Parsed once per container.
 */
let compiledConfig: CallhookConfig | undefined;
export const config = (): CallhookConfig => {
  compiledConfig ??= JSON.parse(
    process.env.CALLHOOK_COMPILED_CONFIG ?? requireEnv('CALLHOOK_COMPILED_CONFIG'),
  ) as CallhookConfig;
  return compiledConfig;
};
/**
 * The calls table; with a callbacks queue configured, every state change also queues the
 * route's status callback.
 */
export const store = (): CallStore => {
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
export const limits = () =>
  new DynamoDbLimitsStore({ tableName: tableName('limits'), clientConfig: {} });
export const queue = () =>
  new SqsQueue<DispatchMessage>({ queueUrl: requireEnv('DISPATCH_QUEUE_URL'), clientConfig: {} });
export const secrets = () => new CachedSecretStore(new SecretsManagerStore({ clientConfig: {} }));
export const now = () => new Date();
/** The queue of status callbacks, for the function that delivers them. */
export const callbackQueue = () =>
  new SqsQueue<CallbackMessage>({ queueUrl: requireEnv('CALLBACK_QUEUE_URL'), clientConfig: {} });
