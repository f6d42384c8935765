import { type RunningDynalite, startDynalite } from '../../infra/local/dynalite.ts';
import { javaAvailable, startDynamoDbLocal } from './dynamodb-local.ts';

export interface DynamoEngine {
  name: string;
  start: () => Promise<RunningDynalite>;
  /** Whether `ReturnConsumedCapacity: INDEXES` reports what a write cost each index. */
  reportsIndexCapacity: boolean;
}

/**
 * The DynamoDB implementations the store contract runs against: dynalite always, and the
 * official DynamoDB Local wherever a Java runtime is installed.
 */
export const DYNAMO_ENGINES: readonly DynamoEngine[] = [
  { name: 'dynalite', start: () => startDynalite(), reportsIndexCapacity: false },
  ...(javaAvailable()
    ? [{ name: 'DynamoDB Local', start: startDynamoDbLocal, reportsIndexCapacity: true }]
    : []),
];
