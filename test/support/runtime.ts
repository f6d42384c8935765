import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  type LocalRuntime,
  type LocalRuntimeOptions,
  SIMULATOR_DEMO_DATA_KEY,
  SIMULATOR_DEMO_KEY,
  startLocalRuntime,
} from '../../infra/local/runtime.ts';
import { TABLES } from '../../shared/adapters/dynamodb/tables.ts';
import type { InProcessQueue } from '../../shared/adapters/local/in-process-queue.ts';
import { loadConfigFile } from '../../shared/config/load.ts';
import type { CallhookConfig } from '../../shared/config/schema.ts';

export const ADMIN_KEY = 'test-admin-key';
export const HOOK_TOKEN = 'test-hook-token';
export const EVENTS_TOKEN = 'test-events-token';

/** Resolves once the queue holds no message and no batch is being handled. */
export const queueIdle = (queue: InProcessQueue): Promise<void> => queue.whenIdle();

export interface TestRuntime extends LocalRuntime {
  /** Call records in the calls table, read straight from dynalite. */
  storedCalls(): Promise<number>;
}

/** The shipped config, as `npm start` would read it. */
export const shippedConfig = (): Promise<CallhookConfig> => loadConfigFile('callhook.config.json');

/** Starts the local runtime on free ports with its own secrets file; stop() removes it all. */
export const startTestRuntime = async (
  overrides: Partial<Omit<LocalRuntimeOptions, 'secretsFile' | 'adminKey' | 'simulatorUrl'>> & {
    /** Secrets added to (or replacing) the demo account's. */
    secrets?: Record<string, unknown>;
  } = {},
): Promise<TestRuntime> => {
  const { secrets: extraSecrets, ...options } = overrides;
  const dir = await mkdtemp(join(tmpdir(), 'callhook-test-'));
  const secretsFile = join(dir, 'secrets.json');
  await writeFile(
    secretsFile,
    JSON.stringify({
      'demo/callapi': { access_token: SIMULATOR_DEMO_KEY },
      'demo/hook-token': HOOK_TOKEN,
      'demo/events-token': EVENTS_TOKEN,
      'demo/dataapi': { access_token: SIMULATOR_DEMO_DATA_KEY },
      ...extraSecrets,
    }),
  );
  const runtime = await startLocalRuntime({
    config: options.config ?? (await shippedConfig()),
    secretsFile,
    adminKey: ADMIN_KEY,
    port: 0,
    simulatorPort: 0,
    ...options,
  });
  const dynamo = new DynamoDBClient(runtime.dynamoClientConfig);
  return {
    ...runtime,
    // Call records only: a call's kept event and callback log are items of their own beside it.
    storedCalls: async () =>
      (
        await dynamo.send(
          new ScanCommand({
            TableName: TABLES.calls.defaultName,
            Select: 'COUNT',
            FilterExpression: 'attribute_exists(#status)',
            ExpressionAttributeNames: { '#status': 'status' },
          }),
        )
      ).Count ?? 0,
    stop: async () => {
      dynamo.destroy();
      await runtime.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
};
