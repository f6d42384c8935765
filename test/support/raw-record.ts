import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '../../shared/adapters/dynamodb/tables.ts';

/**
 * Writes fields of a stored call directly, past the lifecycle: the state a crash or an older
 * version of callhook left behind, which no transition of today's would write. Tests only.
 */
export const writeRawFields = async (
  clientConfig: DynamoDBClientConfig,
  callId: string,
  set: Record<string, unknown>,
  remove: readonly string[] = [],
): Promise<void> => {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig));
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries(set).map(([field, value], i) => {
    names[`#s${i}`] = field;
    values[`:s${i}`] = value;
    return `#s${i} = :s${i}`;
  });
  const removes = remove.map((field, i) => {
    names[`#r${i}`] = field;
    return `#r${i}`;
  });
  try {
    await client.send(
      new UpdateCommand({
        TableName: TABLES.calls.defaultName,
        Key: { call_id: callId },
        UpdateExpression: [
          sets.length > 0 ? `SET ${sets.join(', ')}` : '',
          removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
        ].join(' '),
        ExpressionAttributeNames: names,
        ...(sets.length > 0 && { ExpressionAttributeValues: values }),
        ConditionExpression: 'attribute_exists(call_id)',
      }),
    );
  } finally {
    client.destroy();
  }
};
