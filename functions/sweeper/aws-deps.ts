import { readOwnKey } from '../../shared/secrets/secret-shapes.ts';
import { awsCallWorkPorts } from '../wiring/call-work.ts';
import { contactCapStore, limitsStore } from '../wiring/dynamodb.ts';
import { sweeperDeps } from './deps.ts';

/** The sweeper's ports on Lambda. */
export const awsSweeperDeps = () => {
  const ports = awsCallWorkPorts();
  return sweeperDeps({
    ...ports,
    limits: limitsStore(),
    contacts: contactCapStore(() => readOwnKey(ports.secrets, 'contact_hash_key')),
  });
};
