import { createLogger } from '../../shared/logging/logger.ts';
import { config, limits, now, queue, secrets, store } from '../aws-wiring.ts';
import type { DispatchHandlerDeps } from './handler.ts';

/** The dispatch function's ports on Lambda. */
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
