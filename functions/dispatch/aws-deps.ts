import { SWEEP_TIMING } from '../../shared/dispatch/sweep-timing.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { callStore, limitsStore } from '../wiring/dynamodb.ts';
import { config, now } from '../wiring/env.ts';
import { secretStore } from '../wiring/secrets-manager.ts';
import { dispatchQueue } from '../wiring/sqs.ts';
import type { DispatchHandlerDeps } from './handler.ts';

/** The dispatch function's ports on Lambda. */
export const awsDispatchDeps = async (): Promise<DispatchHandlerDeps> => {
  const logger = createLogger('dispatch');
  return {
    config: config(),
    store: callStore(),
    limits: limitsStore(),
    queue: dispatchQueue(),
    connection: { secrets: secretStore(), logger },
    logger,
    now,
    timing: SWEEP_TIMING,
  };
};
