import type { CallbackDeps } from '../../shared/callbacks/deliver-callback.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { callbackQueue, config, now, secrets } from '../aws-wiring.ts';

/** The callback deliverer's ports on Lambda. */
export const awsCallbacksDeps = async (): Promise<CallbackDeps> => ({
  config: config(),
  secrets: secrets(),
  queue: callbackQueue(),
  logger: createLogger('callbacks'),
  now,
});
