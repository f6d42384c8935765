import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createTableInput, TABLES, type TableKey } from '../../shared/adapters/dynamodb/tables.ts';

export interface RunningDynalite {
  clientConfig: DynamoDBClientConfig;
  close(): Promise<void>;
}

/** Starts dynalite in this process: in memory, or persisted under `path`. */
export const startDynalite = async (path?: string): Promise<RunningDynalite> => {
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(path !== undefined && { path }),
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    clientConfig: {
      endpoint: `http://127.0.0.1:${port}`,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    },
    close: async () => {
      server.close();
      await once(server, 'close');
    },
  };
};

/** Creates each table unless it exists already (a persisted data directory keeps them). */
export const createTables = async (
  clientConfig: DynamoDBClientConfig,
  names: Record<TableKey, string>,
): Promise<void> => {
  const client = new DynamoDBClient(clientConfig);
  try {
    for (const key of Object.keys(TABLES) as TableKey[]) {
      try {
        await client.send(new CreateTableCommand(createTableInput(key, names[key])));
      } catch (error) {
        if ((error as Error).name !== 'ResourceInUseException') throw error;
      }
    }
  } finally {
    client.destroy();
  }
};
