import { join } from 'node:path';
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { callbacksDeps } from '../../functions/callbacks/deps.ts';
import { createCallbacksHandler } from '../../functions/callbacks/handler.ts';
import { callsDeps } from '../../functions/calls/deps.ts';
import { createCallsHandler } from '../../functions/calls/handler.ts';
import { createConsoleHandler } from '../../functions/console/handler.ts';
import { deadLetterDeps } from '../../functions/dead-letter/deps.ts';
import { createDeadLetterHandler } from '../../functions/dead-letter/handler.ts';
import { dispatchDeps } from '../../functions/dispatch/deps.ts';
import { createDispatchHandler } from '../../functions/dispatch/handler.ts';
import { eventsDeps } from '../../functions/events/deps.ts';
import { createEventsHandler } from '../../functions/events/handler.ts';
import { handler as healthHandler } from '../../functions/health/handler.ts';
import { ingestDeps } from '../../functions/ingest/deps.ts';
import { createIngestEntry } from '../../functions/ingest/handler.ts';
import type { Ports } from '../../functions/ports.ts';
import { sweeperDeps } from '../../functions/sweeper/deps.ts';
import { createSweeperHandler } from '../../functions/sweeper/handler.ts';
import { createWidgetEntry } from '../../functions/widget/handler.ts';
import type { DocumentClientSource } from '../../shared/adapters/dynamodb/document-client.ts';
import { DynamoDbCallStore } from '../../shared/adapters/dynamodb/dynamodb-call-store.ts';
import { DynamoDbContactCapStore } from '../../shared/adapters/dynamodb/dynamodb-contact-cap-store.ts';
import { DynamoDbContactWindowStore } from '../../shared/adapters/dynamodb/dynamodb-contact-window-store.ts';
import { DynamoDbKeptEvents } from '../../shared/adapters/dynamodb/dynamodb-kept-events.ts';
import { DynamoDbLimitsStore } from '../../shared/adapters/dynamodb/dynamodb-limits-store.ts';
import { DynamoDbRateWindowStore } from '../../shared/adapters/dynamodb/dynamodb-rate-window-store.ts';
import { TABLES } from '../../shared/adapters/dynamodb/tables.ts';
import { FileSecretStore } from '../../shared/adapters/local/file-secret-store.ts';
import {
  InProcessQueue,
  type InProcessQueueOptions,
} from '../../shared/adapters/local/in-process-queue.ts';
import { CALLBACK_BATCHING } from '../../shared/callbacks/callback-batching.ts';
import type { CallbackMessage } from '../../shared/callbacks/callback-message.ts';
import { NotifyingCallStore } from '../../shared/callbacks/notifying-call-store.ts';
import type { CallStore } from '../../shared/calls/call-store.ts';
import { browserRouteNames } from '../../shared/config/browser-routes.ts';
import type { CallhookConfig } from '../../shared/config/schema.ts';
import { secretProblems, secretRequirements } from '../../shared/config/secret-requirements.ts';
import type { BackoffSettings } from '../../shared/dispatch/backoff.ts';
import type { SweepReport } from '../../shared/dispatch/sweep-deps.ts';
import { SWEEP_TIMING, type SweepTiming } from '../../shared/dispatch/sweep-timing.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { numberingForConfig } from '../../shared/routes/numbering-for.ts';
import { CachedSecretStore, type SecretStore } from '../../shared/secrets/secrets.ts';
import { browserApiRoutes, httpApiRoutes } from '../api-routes.ts';
import { buildConsoleAssets } from '../console-assets.ts';
import { buildWidgetAssets } from '../widget-assets.ts';
import { localContactHashKey } from './contact-hash-key.ts';
import { LOCAL_SWEEP_INTERVAL_MS } from './defaults.ts';
import { createTables, startDynalite } from './dynalite.ts';
import { startHttpBridge } from './http-bridge.ts';
import {
  type JaicpSimulatorOptions,
  type RunningJaicpSimulator,
  startJaicpSimulator,
} from './jaicp-simulator/jaicp-simulator.ts';
import { lambdaContext } from './lambda-context.ts';
import { repairIndexes } from './repair-indexes.ts';
import { requeueWaitingCalls } from './requeue.ts';
import { startRestApiBridge } from './rest-api-bridge.ts';
import {
  type RunningSimulator,
  type SimulatorOptions,
  startSimulator,
} from './simulator/simulator.ts';
import { startSweepTimer } from './sweep-timer.ts';

/**
 * The simulator plays the provider's notifications too: the first simulated account with an
 * `events_secret` gets "ended" events at its `/events/{account}` URL, as the template in
 * docs/operating.md would send them.
 */
const notifySimulatorEvents = async (
  config: CallhookConfig,
  simulator: RunningSimulator,
  secrets: SecretStore,
  bridgeUrl: string,
): Promise<void> => {
  const entry = Object.entries(config.accounts).find(
    ([, account]) =>
      account.backend === 'callapi' &&
      account.provider === 'simulator' &&
      account.events_secret !== undefined,
  );
  if (entry === undefined) return;
  const [name, account] = entry;
  if (account.backend !== 'callapi' || account.events_secret === undefined) return;
  const token = await secrets.get(account.events_secret).catch(() => undefined);
  if (token === undefined) return;
  simulator.notifyTo(`${bridgeUrl}/events/${name}?token=${encodeURIComponent(token)}`);
};

/** A JAICP simulator knowing the campaign tokens of the simulated JAICP accounts, if any. */
const startJaicpSimulatorFor = async (
  config: CallhookConfig,
  secrets: SecretStore,
  options: Partial<JaicpSimulatorOptions>,
): Promise<RunningJaicpSimulator | undefined> => {
  const simulated = Object.values(config.accounts).filter(
    (account) => account.backend === 'jaicp' && account.provider === 'simulator',
  );
  if (simulated.length === 0) return undefined;
  const tokens = await Promise.all(
    simulated.map(async (account) => (await secrets.get(account.secret)).trim()),
  );
  return startJaicpSimulator({ tokens, ...options });
};

/** The access key the local secrets file gives the demo account, and the simulator accepts. */
export const SIMULATOR_DEMO_KEY = 'demo-access-key';

/** The Data API key the simulator accepts, which a demo account's `data_api` secret may hold. */
export const SIMULATOR_DEMO_DATA_KEY = 'demo-data-key';

export interface LocalRuntimeOptions {
  config: CallhookConfig;
  secretsFile: string;
  adminKey: string;
  /** 0 picks a free port. */
  port: number;
  simulatorPort: number;
  /** Persist dynalite and both queues here; in memory when absent. */
  dataDir?: string;
  /**
   * The Call API simulator to use, already running there (in another process, say, so that its
   * record of calls outlives this runtime); when absent, the runtime starts its own.
   */
  simulatorUrl?: string;
  /**
   * A DynamoDB already running there (dynalite in a process of its own, say, as DynamoDB does
   * not share the functions' CPU); when absent, the runtime starts dynalite in this process.
   */
  dynamoClientConfig?: DynamoDBClientConfig;
  /** Every local queue's options; the callbacks queue keeps its event source's batch size and window. */
  queue?: Partial<InProcessQueueOptions>;
  simulator?: Partial<SimulatorOptions>;
  jaicp?: Partial<JaicpSimulatorOptions>;
  /** How often the sweeper runs (EventBridge's schedule on AWS); 0 runs it only on demand. */
  sweepIntervalMs?: number;
  /** The clock every function reads; tests move it to reach calling hours. */
  now?: () => Date;
  /** How long a dispatcher's claim holds. */
  leaseMs?: number;
  backoff?: BackoffSettings;
  callbackBackoff?: BackoffSettings;
  timing?: SweepTiming;
  /**
   * One client for every store (the calls, the cap, the points budget), made from dynalite's
   * config: the bench counts each request through it. Each store makes its own when absent.
   */
  dynamoClient?: (clientConfig: DynamoDBClientConfig) => DynamoDBDocumentClient;
  /**
   * Also serve the browser routes as the WAF-guarded browser API does on AWS (a REST API's
   * events, under its stage's path, at `browserApiUrl`). `guarded`: as on AWS with
   * `callhook:waf=true`, the HTTP API then refuses them.
   */
  browserApi?: { guarded: boolean };
}

export interface LocalRuntime<S extends RunningSimulator | undefined = RunningSimulator> {
  bridgeUrl: string;
  /** The browser API's address, stage included, when `browserApi` asked for one. */
  browserApiUrl: string | undefined;
  /** The simulator this runtime started: none when it was given `simulatorUrl`. */
  simulator: S;
  simulatorUrl: string;
  /** Running when the config has a JAICP account with `provider: "simulator"`. */
  jaicp: RunningJaicpSimulator | undefined;
  queue: InProcessQueue;
  /** The dispatch queue's dead letters, which the dead-letter function consumes. */
  deadLetterQueue: InProcessQueue;
  callbackQueue: InProcessQueue<CallbackMessage>;
  store: CallStore;
  /** Runs the sweeper once, now. */
  sweep(): Promise<SweepReport>;
  /** Where dynalite listens, for tests that look at the tables directly. */
  dynamoClientConfig: DynamoDBClientConfig;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * Everything `npm start` runs, on one machine: dynalite, the Call API simulator, the in-process
 * queue feeding the dispatch handler, and the HTTP bridge feeding the API handlers.
 */
export function startLocalRuntime(
  options: LocalRuntimeOptions & { simulatorUrl: string },
): Promise<LocalRuntime<undefined>>;
export function startLocalRuntime(
  options: LocalRuntimeOptions & { simulatorUrl?: undefined },
): Promise<LocalRuntime>;
export function startLocalRuntime(
  options: LocalRuntimeOptions,
): Promise<LocalRuntime<RunningSimulator | undefined>>;
export async function startLocalRuntime(
  options: LocalRuntimeOptions,
): Promise<LocalRuntime<RunningSimulator | undefined>> {
  const { config } = options;
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const close of [...stops].reverse()) await close();
  };
  try {
    // Every secret the config names must be usable before anything listens: found only when a
    // webhook arrives, a missing one would be a 500 for the sender.
    const problems = await secretProblems(
      secretRequirements(config),
      new FileSecretStore(options.secretsFile),
    );
    if (problems.length > 0) {
      throw new Error(`secrets in ${options.secretsFile}:\n  ${problems.join('\n  ')}`);
    }
    const dynamo =
      options.dynamoClientConfig === undefined
        ? await startDynalite(options.dataDir)
        : { clientConfig: options.dynamoClientConfig, close: async () => {} };
    stops.push(dynamo.close);
    const contactHashKey = await localContactHashKey(options.dataDir);
    const tableNames = {
      calls: TABLES.calls.defaultName,
      contacts: TABLES.contacts.defaultName,
      limits: TABLES.limits.defaultName,
    };
    await createTables(dynamo.clientConfig, tableNames);
    const given = options.dynamoClient?.(dynamo.clientConfig);
    const source: DocumentClientSource =
      given === undefined ? { clientConfig: dynamo.clientConfig } : { client: given };

    const virtualNumbers = Object.values(config.accounts).flatMap((account) =>
      account.backend === 'callapi' && account.provider === 'simulator'
        ? [account.virtual_phone_number]
        : [],
    );
    let simulator: RunningSimulator | undefined;
    let simulatorUrl: string;
    if (options.simulatorUrl !== undefined) {
      simulatorUrl = options.simulatorUrl;
    } else {
      simulator = await startSimulator({
        port: options.simulatorPort,
        keys: { [SIMULATOR_DEMO_KEY]: 'valid' },
        dataApi: { keys: { [SIMULATOR_DEMO_DATA_KEY]: 'valid' } },
        virtualNumbers,
        // The calls table outlives a restart with the session ids it holds: so must the counter.
        ...(options.dataDir !== undefined && { dataDir: options.dataDir }),
        ...options.simulator,
      });
      stops.push(simulator.close);
      simulatorUrl = simulator.url;
    }

    const table = new DynamoDbCallStore({
      tableName: tableNames.calls,
      ...source,
      deliveryLogDays: config.retention_days,
    });
    // SQS keeps its messages; with a data folder, so do the local queues (restarts, kills).
    const queueOptions = { visibilityTimeoutMs: 10_000, ...options.queue };
    const queueDir = (name: string) =>
      options.dataDir === undefined ? undefined : join(options.dataDir, 'queues', name);
    const callbacksDir = queueDir('callbacks');
    // Batched as the callbacks function's event source on AWS is.
    const callbackQueueOptions = {
      ...queueOptions,
      batchSize: CALLBACK_BATCHING.batchSize,
      batchingWindowMs: CALLBACK_BATCHING.windowSeconds * 1000,
    };
    const callbackQueue =
      callbacksDir === undefined
        ? new InProcessQueue<CallbackMessage>(callbackQueueOptions)
        : await InProcessQueue.persistent<CallbackMessage>(callbacksDir, callbackQueueOptions);
    const store = new NotifyingCallStore(table, config, callbackQueue, createLogger('callbacks'));
    const secrets = new CachedSecretStore(new FileSecretStore(options.secretsFile), 1_000);
    // The simulator's scaled clock shortens the provider's windows; the budget must know.
    const timeScale = options.simulator?.timeScale ?? 1;
    const limits = new DynamoDbLimitsStore({
      tableName: tableNames.limits,
      ...source,
      windows: { minute: 60_000 / timeScale, day: 86_400_000 / timeScale },
    });
    const dispatchDir = queueDir('dispatch');
    const queue =
      dispatchDir === undefined
        ? new InProcessQueue(queueOptions)
        : await InProcessQueue.persistent(dispatchDir, queueOptions);
    // The dispatch queue's redrive target, as on AWS: the dead-letter function consumes it.
    const deadLettersDir = queueDir('dead-letters');
    const deadLetterQueue =
      deadLettersDir === undefined
        ? new InProcessQueue(queueOptions)
        : await InProcessQueue.persistent(deadLettersDir, queueOptions);
    const now = options.now ?? (() => new Date());
    const jaicp = await startJaicpSimulatorFor(config, secrets, {
      now: () => now().getTime(),
      ...options.jaicp,
    });
    if (jaicp !== undefined) stops.push(jaicp.close);

    // The local ports; each function's deps.ts builds its handler's dependencies from them, as
    // its aws-deps.ts does from the AWS ones on Lambda.
    const ports: Ports = {
      config,
      store,
      limits,
      dispatchQueue: queue,
      callbackQueue,
      callbackLog: table,
      keptEvents: new DynamoDbKeptEvents({ tableName: tableNames.calls, ...source, now }),
      contacts: new DynamoDbContactCapStore({
        tableName: tableNames.contacts,
        ...source,
        hashKey: async () => contactHashKey,
      }),
      contactWindows: new DynamoDbContactWindowStore({
        tableName: tableNames.contacts,
        clientConfig: dynamo.clientConfig,
        hashKey: async () => contactHashKey,
      }),
      rateWindows: new DynamoDbRateWindowStore({
        tableName: tableNames.contacts,
        ...source,
        hashKey: async () => contactHashKey,
      }),
      secrets,
      numbering: numberingForConfig(config),
      adminKey: async () => options.adminKey,
      now,
      // Every writer of `sweep_at` (ingest, dispatch, the sweeper, retry) reads the same timings.
      timing: options.timing ?? SWEEP_TIMING,
      logger: createLogger,
      connection: {
        simulatorUrls: { callapi: simulatorUrl, ...(jaicp !== undefined && { jaicp: jaicp.url }) },
      },
      tuning: {
        ...(options.leaseMs !== undefined && { leaseMs: options.leaseMs }),
        ...(options.backoff !== undefined && { backoff: options.backoff }),
        ...(options.callbackBackoff !== undefined && { callbackBackoff: options.callbackBackoff }),
      },
    };

    const dispatch = createDispatchHandler(dispatchDeps(ports));
    const deadLetter = createDeadLetterHandler(deadLetterDeps(ports));
    queue.redriveTo(deadLetterQueue);
    deadLetterQueue.start(
      (event: SQSEvent) =>
        deadLetter(event, lambdaContext('dead-letter')) as Promise<SQSBatchResponse | undefined>,
    );
    stops.push(() => deadLetterQueue.stop());
    const sweeperLogger = createLogger('sweeper');
    const sweeper = createSweeperHandler(sweeperDeps(ports));
    const sweep = () => sweeper({}, lambdaContext('sweeper'));
    const callbacks = createCallbacksHandler(callbacksDeps(ports));
    callbackQueue.start(
      (event: SQSEvent) =>
        callbacks(event, lambdaContext('callbacks')) as Promise<SQSBatchResponse | undefined>,
    );
    stops.push(() => callbackQueue.stop());
    if (options.dataDir !== undefined) {
      // Before the sweeper's first run: what a kill left unindexed is then swept like the rest.
      const repaired = await repairIndexes(dynamo.clientConfig, tableNames.calls);
      if (Object.values(repaired).some((count) => count > 0)) {
        sweeperLogger.warn('index entries repaired at start-up', { ...repaired });
      }
    }
    const sweepTimer = startSweepTimer(
      sweep,
      options.sweepIntervalMs ?? LOCAL_SWEEP_INTERVAL_MS,
      sweeperLogger,
    );
    stops.push(async () => sweepTimer.stop());
    if (options.dataDir !== undefined) {
      await requeueWaitingCalls(dynamo.clientConfig, tableNames.calls, queue);
    }
    queue.start(
      (event: SQSEvent) =>
        dispatch(event, lambdaContext('dispatch')) as Promise<SQSBatchResponse | undefined>,
    );
    stops.push(() => queue.stop());

    const guarded = { browserApiGuarded: options.browserApi?.guarded === true };
    const ingest = createIngestEntry(ingestDeps(ports), guarded);
    const widget = createWidgetEntry(
      { config, assets: buildWidgetAssets(), now, logger: createLogger('widget') },
      guarded,
    );
    const bridge = await startHttpBridge(
      {
        ingest,
        calls: createCallsHandler(callsDeps(ports)),
        events: createEventsHandler(eventsDeps(ports)),
        health: healthHandler,
        // Built from console/ at every start, in memory: no build step before `npm start`.
        console: createConsoleHandler(buildConsoleAssets(), createLogger('console')),
        widget,
      },
      { host: HOST, port: options.port, routes: httpApiRoutes(guarded.browserApiGuarded) },
    );
    stops.push(bridge.close);
    const browserApi =
      options.browserApi === undefined
        ? undefined
        : await startRestApiBridge(
            { ingest, widget },
            browserApiRoutes(browserRouteNames(config)),
            { host: HOST, port: 0 },
          );
    if (browserApi !== undefined) stops.push(browserApi.close);
    if (simulator !== undefined)
      await notifySimulatorEvents(config, simulator, secrets, bridge.url);

    return {
      bridgeUrl: bridge.url,
      browserApiUrl: browserApi?.url,
      simulator,
      simulatorUrl,
      jaicp,
      queue,
      deadLetterQueue,
      callbackQueue,
      store,
      sweep,
      dynamoClientConfig: dynamo.clientConfig,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
