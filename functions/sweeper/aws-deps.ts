import type { SweepDeps } from '../../shared/dispatch/sweep.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { config, now, queue, secrets, store } from '../aws-wiring.ts';

/** The sweeper's ports on Lambda. */
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
