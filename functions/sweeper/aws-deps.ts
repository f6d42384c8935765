import type { SweepDeps } from '../../shared/dispatch/sweep.ts';
import { SWEEP_TIMING } from '../../shared/dispatch/sweep-timing.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { callStore, limitsStore } from '../wiring/dynamodb.ts';
import { config, now } from '../wiring/env.ts';
import { secretStore } from '../wiring/secrets-manager.ts';
import { dispatchQueue } from '../wiring/sqs.ts';

/** The sweeper's ports on Lambda. */
export const awsSweepDeps = async (): Promise<SweepDeps> => {
  const logger = createLogger('sweeper');
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
