import { CONTACT_HASH_KEY_SECRET } from '../../shared/guardrails/contact-key.ts';
import { readSecret } from '../../shared/secrets/secret-shapes.ts';
import { awsCallWorkPorts } from '../wiring/call-work.ts';
import { contactCapStore, limitsStore } from '../wiring/dynamodb.ts';
import { sweeperDeps } from './deps.ts';

/** The sweeper's ports on Lambda. */
export const awsSweeperDeps = () => {
  const ports = awsCallWorkPorts();
  return sweeperDeps({
    ...ports,
    limits: limitsStore(),
    contacts: contactCapStore(() => readSecret(ports.secrets, CONTACT_HASH_KEY_SECRET, 'hash-key')),
  });
};
