import { callbackLog } from '../wiring/dynamodb.ts';
import { BASIC_PORTS, config } from '../wiring/env.ts';
import { secretStore } from '../wiring/secrets.ts';
import { callbackQueue } from '../wiring/sqs.ts';
import { callbacksDeps } from './deps.ts';

/** The callback deliverer's ports on Lambda. */
export const awsCallbacksDeps = () =>
  callbacksDeps({
    ...BASIC_PORTS,
    config: config(),
    secrets: secretStore(),
    callbackQueue: callbackQueue(),
    callbackLog: callbackLog(),
  });
