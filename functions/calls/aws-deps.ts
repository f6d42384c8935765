import { readOwnKey } from '../../shared/secrets/secret-shapes.ts';
import { awsCallWorkPorts } from '../wiring/call-work.ts';
import { callbackLog, contactCapStore, keptEvents } from '../wiring/dynamodb.ts';
import { callsDeps } from './deps.ts';

/** The calls API's ports on Lambda. */
export const awsCallsDeps = () => {
  const ports = awsCallWorkPorts();
  return callsDeps({
    ...ports,
    callbackLog: callbackLog(),
    keptEvents: keptEvents(),
    adminKey: () => readOwnKey(ports.secrets, 'admin_key'),
    // Call again counts against the per-number cap; a search by number reads its counts.
    contacts: contactCapStore(() => readOwnKey(ports.secrets, 'contact_hash_key')),
  });
};
