import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/** True for a conditional write that lost, however the SDK (or dynalite) spells it. */
export const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof Error && error.name === 'ConditionalCheckFailedException');
