import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createCallsHandler } from '../../functions/calls/handler.ts';
import { createDispatchHandler } from '../../functions/dispatch/handler.ts';
import { handler as healthHandler } from '../../functions/health/handler.ts';
import { createIngestHandler } from '../../functions/ingest/handler.ts';
import { DynamoDbCallStore } from '../../shared/adapters/dynamodb/dynamodb-call-store.ts';
import { TABLES } from '../../shared/adapters/dynamodb/tables.ts';
import { FileSecretStore } from '../../shared/adapters/local/file-secret-store.ts';
import {
  InProcessQueue,
  type InProcessQueueOptions,
} from '../../shared/adapters/local/in-process-queue.ts';
import type { CallStore } from '../../shared/calls/call-store.ts';
import type { CallhookConfig } from '../../shared/config/schema.ts';
import { CachedSecretStore } from '../../shared/config/secrets.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { createTables, startDynalite } from './dynalite.ts';
import { startHttpBridge } from './http-bridge.ts';
import { lambdaContext } from './lambda-context.ts';
import { requeueWaitingCalls } from './requeue.ts';
import {
  type RunningSimulator,
  type SimulatorOptions,
  startSimulator,
} from './simulator/simulator.ts';

/** The access key the local secrets file gives the demo account, and the simulator accepts. */
export const SIMULATOR_DEMO_KEY = 'demo-access-key';

export interface LocalRuntimeOptions {
  config: CallhookConfig;
  secretsFile: string;
  adminKey: string;
  /** 0 picks a free port. */
  port: number;
  simulatorPort: number;
  /** Persist dynalite here; in memory when absent. */
  dataDir?: string;
  queue?: Partial<InProcessQueueOptions>;
  simulator?: Partial<SimulatorOptions>;
}

export interface LocalRuntime {
  bridgeUrl: string;
  simulator: RunningSimulator;
  queue: InProcessQueue;
  store: CallStore;
  /** Where dynalite listens, for tests that look at the tables directly. */
  dynamoClientConfig: DynamoDBClientConfig;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * Everything `npm start` runs, on one machine: dynalite, the Call API simulator, the in-process
 * queue feeding the dispatch handler, and the HTTP bridge feeding the API handlers.
 */
export const startLocalRuntime = async (options: LocalRuntimeOptions): Promise<LocalRuntime> => {
  const { config } = options;
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const close of [...stops].reverse()) await close();
  };
  try {
    const dynamo = await startDynalite(options.dataDir);
    stops.push(dynamo.close);
    const tableNames = { calls: TABLES.calls.defaultName };
    await createTables(dynamo.clientConfig, tableNames);

    const virtualNumbers = Object.values(config.accounts)
      .filter((account) => account.provider === 'simulator')
      .map((account) => account.virtual_phone_number);
    const simulator = await startSimulator({
      port: options.simulatorPort,
      keys: { [SIMULATOR_DEMO_KEY]: 'valid' },
      virtualNumbers,
      ...options.simulator,
    });
    stops.push(simulator.close);

    const store = new DynamoDbCallStore({
      tableName: tableNames.calls,
      clientConfig: dynamo.clientConfig,
    });
    const secrets = new CachedSecretStore(new FileSecretStore(options.secretsFile), 1_000);
    const queue = new InProcessQueue({ visibilityTimeoutMs: 10_000, ...options.queue });
    const now = () => new Date();

    const dispatchLogger = createLogger('dispatch');
    const dispatch = createDispatchHandler({
      config,
      store,
      connection: { secrets, simulatorUrl: simulator.url, logger: dispatchLogger },
      logger: dispatchLogger,
      now,
    });
    if (options.dataDir !== undefined) {
      await requeueWaitingCalls(dynamo.clientConfig, tableNames.calls, queue);
    }
    queue.start(
      (event: SQSEvent) =>
        dispatch(event, lambdaContext('dispatch')) as Promise<SQSBatchResponse | undefined>,
    );
    stops.push(() => queue.stop());

    const bridge = await startHttpBridge(
      {
        ingest: createIngestHandler({
          config,
          store,
          queue,
          secrets,
          logger: createLogger('ingest'),
          now,
        }),
        calls: createCallsHandler({
          store,
          adminKey: async () => options.adminKey,
          logger: createLogger('calls'),
        }),
        health: healthHandler,
      },
      { host: HOST, port: options.port },
    );
    stops.push(bridge.close);

    return {
      bridgeUrl: bridge.url,
      simulator,
      queue,
      store,
      dynamoClientConfig: dynamo.clientConfig,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
