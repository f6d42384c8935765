import { createLogger } from '../../shared/logging/logger.ts';
import { now, store } from '../aws-wiring.ts';
import type { DeadLetterDeps } from './handler.ts';

/** The dead-letter consumer's ports on Lambda. */
export const awsDeadLetterDeps = async (): Promise<DeadLetterDeps> => ({
  store: store(),
  logger: createLogger('dead-letter'),
  now,
});
