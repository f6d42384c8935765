import { createLogger } from '../../shared/logging/logger.ts';
import { callStore } from '../wiring/dynamodb.ts';
import { now } from '../wiring/env.ts';
import type { DeadLetterDeps } from './handler.ts';

/** The dead-letter consumer's ports on Lambda. */
export const awsDeadLetterDeps = async (): Promise<DeadLetterDeps> => ({
  store: callStore(),
  logger: createLogger('dead-letter'),
  now,
});
