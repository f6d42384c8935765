import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

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
  },
} as const;

export type TableKey = keyof typeof TABLES;

export const tableName = (key: TableKey, env: NodeJS.ProcessEnv = process.env): string =>
  env[TABLES[key].envVar] ?? TABLES[key].defaultName;

export const createTableInput = (key: TableKey, name: string): CreateTableCommandInput => ({
  TableName: name,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: TABLES[key].partitionKey, AttributeType: 'S' }],
  KeySchema: [{ AttributeName: TABLES[key].partitionKey, KeyType: 'HASH' }],
});
