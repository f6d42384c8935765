import { readOwnKey } from '../../shared/secrets/secret-shapes.ts';
import { callStore, contactCapStore } from '../wiring/dynamodb.ts';
import { BASIC_PORTS, config } from '../wiring/env.ts';
import { secretStore } from '../wiring/secrets.ts';
import { eventsDeps } from './deps.ts';

/** The provider events endpoint's ports on Lambda. */
export const awsEventsDeps = () => {
  const secrets = secretStore();
  return eventsDeps({
    ...BASIC_PORTS,
    config: config(),
    store: callStore(),
    contacts: contactCapStore(() => readOwnKey(secrets, 'contact_hash_key')),
    secrets,
  });
};
