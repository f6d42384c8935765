import type { CallbackDeps } from '../../shared/callbacks/deliver-callback.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { config, now } from '../wiring/env.ts';
import { secretStore } from '../wiring/secrets-manager.ts';
import { callbackQueue } from '../wiring/sqs.ts';

/** The callback deliverer's ports on Lambda. */
export const awsCallbacksDeps = async (): Promise<CallbackDeps> => ({
  config: config(),
  secrets: secretStore(),
  queue: callbackQueue(),
  logger: createLogger('callbacks'),
  now,
});
