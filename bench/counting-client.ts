import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { TABLES, type TableKey } from '../shared/adapters/dynamodb/tables.ts';
import { type Index, type Item, indexWrites } from './index-writes.ts';

export interface Counters {
  readUnits: number;
  writeUnits: number;
  indexWriteUnits: number;
  dynamoCalls: number;
}

/**
 * A DynamoDB client that asks for consumed capacity on every request and adds it up. dynalite
 * reports the table's units but not the indexes': for a write to a table with indexes, the item
 * is read before and after (by a client that is not counted) and `indexWrites` prices the change.
 */
export const countingClient = (
  clientConfig: DynamoDBClientConfig,
  names: Record<TableKey, string>,
  counters: Counters,
) => {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const images = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig));
  const indexesOf = new Map<string, readonly Index[]>(
    (Object.keys(names) as TableKey[]).map((key) => [names[key], TABLES[key].indexes]),
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const command = String(context.commandName);
      const tableName = String(input.TableName);
      const indexes = indexesOf.get(tableName) ?? [];
      const writes = /^(Put|Update|Delete)Item/.test(command) && indexes.length > 0;
      const key = (input.Key ?? { call_id: (input.Item as Item | undefined)?.call_id }) as Item;
      const image = async () =>
        (
          await images.send(
            new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
          )
        ).Item;
      const before = writes ? await image() : undefined;
      let result: Awaited<ReturnType<typeof next>>;
      try {
        result = await next(args);
      } catch (error) {
        // A write refused by its condition is still billed, at least one unit.
        if ((error as Error).name === 'ConditionalCheckFailedException') {
          counters.dynamoCalls += 1;
          counters.writeUnits += 1;
        }
        throw error;
      }
      // The image is awaited before the sum is read: `a += await b` would lose concurrent adds.
      const indexUnits = writes ? indexWrites(indexes, before, await image()) : 0;
      counters.indexWriteUnits += indexUnits;
      const output = result.output as { ConsumedCapacity?: { CapacityUnits?: number } };
      const tableUnits = output.ConsumedCapacity?.CapacityUnits ?? 0;
      counters.dynamoCalls += 1;
      if (/^(Get|Query)/.test(command)) counters.readUnits += tableUnits;
      else counters.writeUnits += tableUnits;
      return result;
    },
    { step: 'initialize', name: 'countCapacity' },
  );
  return client;
};
