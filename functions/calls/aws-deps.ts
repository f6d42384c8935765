import { readSecret } from '../../shared/config/secret-shapes.ts';
import { SWEEP_TIMING } from '../../shared/dispatch/sweep-timing.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { callStore } from '../wiring/dynamodb.ts';
import { config, now, requireEnv } from '../wiring/env.ts';
import { secretStore } from '../wiring/secrets-manager.ts';
import { dispatchQueue } from '../wiring/sqs.ts';
import type { CallsDeps } from './handler.ts';

/** The calls API's ports on Lambda. */
export const awsCallsDeps = async (): Promise<CallsDeps> => {
  const secrets = secretStore();
  const adminKeySecret = requireEnv('ADMIN_KEY_SECRET_NAME');
  const logger = createLogger('calls');
  return {
    config: config(),
    store: callStore(),
    queue: dispatchQueue(),
    connection: { secrets, logger },
    adminKey: () => readSecret(secrets, adminKeySecret, 'token'),
    logger,
    now,
    timing: SWEEP_TIMING,
  };
};
