import { readSecret } from '../../shared/secrets/secret-shapes.ts';
import { awsCallWorkPorts } from '../wiring/call-work.ts';
import { callbackLog } from '../wiring/dynamodb.ts';
import { requireEnv } from '../wiring/env.ts';
import { callsDeps } from './deps.ts';

/** The calls API's ports on Lambda. */
export const awsCallsDeps = () => {
  const ports = awsCallWorkPorts();
  const adminKeySecret = requireEnv('ADMIN_KEY_SECRET_NAME');
  return callsDeps({
    ...ports,
    callbackLog: callbackLog(),
    adminKey: () => readSecret(ports.secrets, adminKeySecret, 'token'),
  });
};
