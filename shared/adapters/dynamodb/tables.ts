import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey?: string;
  /**
   * Attributes the index carries besides the keys (`INCLUDE`); they must never change once the
   * record is written, or every change would be an index write.
   */
  include?: readonly string[];
}

interface TableDefinition {
  envVar: string;
  defaultName: string;
  partitionKey: string;
  ttlAttribute?: string;
  /**
   * Global secondary indexes, string-keyed and projecting only the keys (and a few attributes
   * that never change): an index write then costs one unit whatever the record's size, and
   * readers fetch the record itself.
   */
  indexes: readonly IndexDefinition[];
}

/**
 * The tables as both runtimes create them: the CDK stack (AWS) and the local runtime (dynalite)
 * read these definitions, so the code never meets a table shaped differently from what it expects.
 */
export const TABLES = {
  calls: {
    envVar: 'CALLS_TABLE_NAME',
    defaultName: 'callhook-calls',
    partitionKey: 'call_id',
    ttlAttribute: 'expires_at',
    indexes: [
      // Sparse: only records that carry `sweep_at` are in it, so the sweeper reads little.
      { name: 'by-sweep', partitionKey: 'status', sortKey: 'sweep_at' },
      { name: 'by-session', partitionKey: 'session_key' },
      // The operators' list (`GET /calls`), newest first. Its keys and the attributes it carries
      // are fixed when the record is created, so it costs one index write per call and none
      // afterwards. `listed` is one constant (the store writes it): a single partition, good to
      // about 1,000 new calls a second, far above any provider's pace. It carries `route` and
      // `contact_last4` so that those filters run in the query; `status` changes, so it is read
      // from the record. Sparse: records written before it existed are not in it.
      {
        name: 'by-created',
        partitionKey: 'listed',
        sortKey: 'created_at',
        include: ['route', 'contact_last4'],
      },
    ],
  },
  contacts: {
    envVar: 'CONTACTS_TABLE_NAME',
    defaultName: 'callhook-contacts',
    partitionKey: 'contact_key',
    ttlAttribute: 'expires_at',
    indexes: [],
  },
  limits: {
    envVar: 'LIMITS_TABLE_NAME',
    defaultName: 'callhook-limits',
    partitionKey: 'account',
    indexes: [],
  },
} as const satisfies Record<string, TableDefinition>;

export type TableKey = keyof typeof TABLES;

export const CALLS_BY_SWEEP = 'by-sweep';
export const CALLS_BY_SESSION = 'by-session';
export const CALLS_BY_CREATED = 'by-created';
/** The value of `listed`, the `by-created` index's partition key, on every record. */
export const LISTED = 'call';

export const tableName = (key: TableKey, env: NodeJS.ProcessEnv = process.env): string =>
  env[TABLES[key].envVar] ?? TABLES[key].defaultName;

export const createTableInput = (key: TableKey, name: string): CreateTableCommandInput => {
  const table: TableDefinition = TABLES[key];
  const attributes = new Set([table.partitionKey]);
  for (const index of table.indexes) {
    attributes.add(index.partitionKey);
    if (index.sortKey !== undefined) attributes.add(index.sortKey);
  }
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((name) => ({
      AttributeName: name,
      AttributeType: 'S',
    })),
    KeySchema: [{ AttributeName: table.partitionKey, KeyType: 'HASH' }],
    ...(table.indexes.length > 0 && {
      GlobalSecondaryIndexes: table.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
          ...(index.sortKey === undefined
            ? []
            : [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }]),
        ],
        Projection:
          index.include === undefined
            ? { ProjectionType: 'KEYS_ONLY' as const }
            : { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.include] },
      })),
    }),
  };
};
