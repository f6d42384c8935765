import type { AcceptEventDeps } from '../../shared/events/accept-provider-event.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { callStore } from '../wiring/dynamodb.ts';
import { config, now } from '../wiring/env.ts';
import { secretStore } from '../wiring/secrets-manager.ts';

/** The provider events endpoint's ports on Lambda. */
export const awsEventsDeps = async (): Promise<AcceptEventDeps> => ({
  config: config(),
  store: callStore(),
  secrets: secretStore(),
  logger: createLogger('events'),
  now,
});
