import type { AcceptEventDeps } from '../../shared/events/accept-provider-event.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { config, now, secrets, store } from '../aws-wiring.ts';

/** The provider events endpoint's ports on Lambda. */
export const awsEventsDeps = async (): Promise<AcceptEventDeps> => ({
  config: config(),
  store: store(),
  secrets: secrets(),
  logger: createLogger('events'),
  now,
});
