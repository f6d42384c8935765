import { createLogger } from '../../shared/logging/logger.ts';
import { config, now, queue, requireEnv, secrets, store } from '../aws-wiring.ts';
import type { CallsDeps } from './handler.ts';

/** The calls API's ports on Lambda. */
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
