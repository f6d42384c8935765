import { callStore } from '../wiring/dynamodb.ts';
import { BASIC_PORTS, config } from '../wiring/env.ts';
import { secretStore } from '../wiring/secrets-manager.ts';
import { eventsDeps } from './deps.ts';

/** The provider events endpoint's ports on Lambda. */
export const awsEventsDeps = () =>
  eventsDeps({ ...BASIC_PORTS, config: config(), store: callStore(), secrets: secretStore() });
