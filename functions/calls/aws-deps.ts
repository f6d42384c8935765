import { CONTACT_HASH_KEY_SECRET } from '../../shared/guardrails/contact-key.ts';
import { readSecret } from '../../shared/secrets/secret-shapes.ts';
import { awsCallWorkPorts } from '../wiring/call-work.ts';
import { callbackLog, contactCapStore, keptEvents } from '../wiring/dynamodb.ts';
import { requireEnv } from '../wiring/env.ts';
import { callsDeps } from './deps.ts';

/** The calls API's ports on Lambda. */
export const awsCallsDeps = () => {
  const ports = awsCallWorkPorts();
  const adminKeySecret = requireEnv('ADMIN_KEY_SECRET_NAME');
  return callsDeps({
    ...ports,
    callbackLog: callbackLog(),
    keptEvents: keptEvents(),
    adminKey: () => readSecret(ports.secrets, adminKeySecret, 'token'),
    // Call again counts against the per-number cap; a search by number reads its counts.
    contacts: contactCapStore(() => readSecret(ports.secrets, CONTACT_HASH_KEY_SECRET, 'hash-key')),
  });
};
