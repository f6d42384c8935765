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

/** One request as the client saw it: what `npm run bench` lists for a call's path. */
export interface DynamoRequest {
  /** The operation as DynamoDB names it: GetItem, PutItem, UpdateItem, Query… */
  kind: string;
  /** The table's key in `TABLES` (calls, contacts, limits). */
  table: string;
  readUnits: number;
  /** The table's write units (a write its condition refused: one). */
  writeUnits: number;
  /** The indexes' write units, by `indexWrites`. */
  indexWriteUnits: number;
  /** A conditional write its condition refused. */
  refused: boolean;
  /** The item's partition key, where the request names one item (not a query). */
  key?: string;
}

export interface CountingObservers {
  /** Each write to a table with indexes, its index units priced both ways. */
  indexedWrite?: (write: IndexedWrite) => void;
  /** Each request, once it has answered or been refused. */
  request?: (request: DynamoRequest) => void;
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
 * `observers` see each such write priced both ways, and each request with its kind and units.
 */
export const countingClient = (
  clientConfig: DynamoDBClientConfig,
  names: Record<TableKey, string>,
  counters: Counters,
  observers: CountingObservers = {},
) => {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const images = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig));
  const keyOf = new Map<string, TableKey>(
    (Object.keys(names) as TableKey[]).map((key) => [names[key], key]),
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'INDEXES';
      const command = String(context.commandName);
      const kind = command.replace(/Command$/, '');
      const tableName = String(input.TableName);
      const tableKey = keyOf.get(tableName);
      const table = tableKey === undefined ? undefined : TABLES[tableKey];
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
      const itemKey = key[partitionKey];
      const seen = (units: Omit<DynamoRequest, 'kind' | 'table' | 'key'>) =>
        observers.request?.({
          kind,
          table: tableKey ?? tableName,
          ...units,
          ...(typeof itemKey === 'string' && { key: itemKey }),
        });
      const before = writes ? await image() : undefined;
      let result: Awaited<ReturnType<typeof next>>;
      try {
        result = await next(args);
      } catch (error) {
        // A write refused by its condition is still billed, at least one unit.
        if ((error as Error).name === 'ConditionalCheckFailedException') {
          counters.dynamoCalls += 1;
          counters.writeUnits += 1;
          seen({ readUnits: 0, writeUnits: 1, indexWriteUnits: 0, refused: true });
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
        observers.indexedWrite?.({
          byRule: indexUnits,
          reported: reported.reduce((sum, index) => sum + (index.CapacityUnits ?? 0), 0),
        });
      }
      counters.dynamoCalls += 1;
      // A read is billed in total (a query of an index included); a write's index units are
      // `indexWrites`', so only the table's are taken from the report.
      if (/^(Get|Query)/.test(command)) {
        const units = consumed?.CapacityUnits ?? 0;
        counters.readUnits += units;
        seen({ readUnits: units, writeUnits: 0, indexWriteUnits: 0, refused: false });
      } else {
        const units = consumed?.Table?.CapacityUnits ?? consumed?.CapacityUnits ?? 0;
        counters.writeUnits += units;
        seen({ readUnits: 0, writeUnits: units, indexWriteUnits: indexUnits, refused: false });
      }
      return result;
    },
    { step: 'initialize', name: 'countCapacity' },
  );
  return client;
};
