import { callStore } from './dynamodb.ts';
import { BASIC_PORTS, config } from './env.ts';
import { secretStore } from './secrets.ts';
import { dispatchQueue } from './sqs.ts';

/**
 * The AWS ports of a function that works on stored calls through their backends (dispatch, the
 * sweeper, the calls API): all three use DynamoDB, SQS and Secrets Manager anyway.
 */
export const awsCallWorkPorts = () => ({
  ...BASIC_PORTS,
  config: config(),
  store: callStore(),
  dispatchQueue: dispatchQueue(),
  secrets: secretStore(),
});
