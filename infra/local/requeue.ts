import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { DispatchQueue } from '../../shared/calls/dispatch-queue.ts';

/**
 * SQS keeps its messages across restarts; the in-process queue does not. When the local runtime
 * starts on persisted data, every call still `queued` is sent again so none is stranded. A
 * surplus message is harmless: dispatch claims the record conditionally.
 */
export const requeueWaitingCalls = async (
  clientConfig: DynamoDBClientConfig,
  tableName: string,
  queue: DispatchQueue,
): Promise<number> => {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig));
  let sent = 0;
  try {
    const pages = paginateScan(
      { client },
      {
        TableName: tableName,
        FilterExpression: '#status = :queued',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':queued': 'queued' },
        ProjectionExpression: 'call_id',
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        await queue.send({ call_id: String(item.call_id) });
        sent += 1;
      }
    }
  } finally {
    client.destroy();
  }
  return sent;
};
