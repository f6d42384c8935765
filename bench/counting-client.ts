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

/** One write to a table with indexes: its index units by `indexWrites`, and as reported. */
export interface IndexedWrite {
  byRule: number;
  /** What the engine says the write cost its indexes (dynalite reports none; DynamoDB Local does). */
  reported: number;
}

interface ConsumedCapacity {
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

/**
 * A DynamoDB client that asks for consumed capacity on every request and adds it up. dynalite
 * reports the table's units but not the indexes': for a write to a table with indexes, the item
 * is read before and after (by a client that is not counted) and `indexWrites` prices the change.
 * `onIndexedWrite` sees each such write priced both ways.
 */
export const countingClient = (
  clientConfig: DynamoDBClientConfig,
  names: Record<TableKey, string>,
  counters: Counters,
  onIndexedWrite?: (write: IndexedWrite) => void,
) => {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const images = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig));
  const tableOf = new Map<string, (typeof TABLES)[TableKey]>(
    (Object.keys(names) as TableKey[]).map((key) => [names[key], TABLES[key]]),
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'INDEXES';
      const command = String(context.commandName);
      const tableName = String(input.TableName);
      const table = tableOf.get(tableName);
      const indexes: readonly Index[] = table?.indexes ?? [];
      const writes = /^(Put|Update|Delete)Item/.test(command) && indexes.length > 0;
      const partitionKey = table?.partitionKey ?? '';
      const key = (input.Key ?? {
        [partitionKey]: (input.Item as Item | undefined)?.[partitionKey],
      }) as Item;
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
      const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity }).ConsumedCapacity;
      if (writes) {
        // An index the write did not touch is left out of the report.
        const reported = Object.values(consumed?.GlobalSecondaryIndexes ?? {});
        onIndexedWrite?.({
          byRule: indexUnits,
          reported: reported.reduce((sum, index) => sum + (index.CapacityUnits ?? 0), 0),
        });
      }
      counters.dynamoCalls += 1;
      // A read is billed in total (a query of an index included); a write's index units are
      // `indexWrites`', so only the table's are taken from the report.
      if (/^(Get|Query)/.test(command)) counters.readUnits += consumed?.CapacityUnits ?? 0;
      else counters.writeUnits += consumed?.Table?.CapacityUnits ?? consumed?.CapacityUnits ?? 0;
      return result;
    },
    { step: 'initialize', name: 'countCapacity' },
  );
  return client;
};
