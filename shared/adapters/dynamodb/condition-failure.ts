import { ConditionalCheckFailedException, unmarshall } from '../aws/sdk/dynamodb.ts';

/** True for a conditional write that lost, however the SDK (or dynalite) spells it. */
export const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof Error && error.name === 'ConditionalCheckFailedException');

/**
 * The item that refused a conditional write asked with `ReturnValuesOnConditionCheckFailure:
 * ALL_OLD`, as plain values. DynamoDB returns it (in the wire format: the document client does
 * not convert errors); dynalite and DynamoDB Local return none, nor does DynamoDB when the item
 * does not exist: undefined then.
 */
export const storedItemOf = (error: unknown): Record<string, unknown> | undefined => {
  const item = (error as { Item?: unknown } | undefined)?.Item;
  if (item === undefined || item === null || typeof item !== 'object') return undefined;
  return unmarshall(item as Parameters<typeof unmarshall>[0]) as Record<string, unknown>;
};
