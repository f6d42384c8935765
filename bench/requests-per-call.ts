import { once } from 'node:events';
import { startLocalRuntime } from '../infra/local/runtime.ts';
import { TABLES } from '../shared/adapters/dynamodb/tables.ts';
import { loadConfigFile } from '../shared/config/load.ts';
import { type Counters, countingClient, type DynamoRequest } from './counting-client.ts';
import { round } from './stats.ts';

/** Where on a call's path a request was made. */
export type PathStep =
  | 'ingest'
  | 'ingest, beside the enqueue'
  | 'dispatch'
  | 'after the Call API request';

/** The steps in the order of a call's path. */
export const PATH_STEPS: readonly PathStep[] = [
  'ingest',
  'ingest, beside the enqueue',
  'dispatch',
  'after the Call API request',
];

/** The key of a call's kept event (`shared/adapters/dynamodb/dynamodb-kept-events.ts`). */
const KEPT_EVENT = /#event$/;

export interface PathRequest extends DynamoRequest {
  step: PathStep;
}

export interface RequestsPerCall {
  calls: number;
  /** Requests a placed call makes, from its webhook until its dispatch is done: the mean. */
  per_call: number;
  /**
   * Of which from the webhook to the Call API request (ingest, and dispatch before it); the
   * kept event's write, which ingest makes beside the enqueue and nothing waits for to ring, is
   * not among them.
   */
  to_call_api: number;
  read_units_per_call: number;
  /** The tables' and the indexes' write units. */
  write_units_per_call: number;
  /** One call's requests in order: the path most of the calls took. */
  path: PathRequest[];
  /** How many of the calls took exactly that path. */
  calls_on_path: number;
}

/** The tables as the local runtime names them. */
const TABLE_NAMES = {
  calls: TABLES.calls.defaultName,
  contacts: TABLES.contacts.defaultName,
  limits: TABLES.limits.defaultName,
};

/** A request's line in a call's path, for comparing paths and printing one. */
export const describeRequest = (r: PathRequest): string => {
  const units = [
    r.readUnits > 0 && `${r.readUnits} RCU`,
    r.writeUnits > 0 && `${r.writeUnits} WCU`,
    r.indexWriteUnits > 0 && `+${r.indexWriteUnits} index WCU`,
  ].filter(Boolean);
  return `${r.step}: ${r.kind} ${r.table}${r.refused ? ' (refused by its condition)' : ''}, ${units.join(' ')}`;
};

/**
 * Every DynamoDB request one placed call makes, with its kind and consumed units, through the
 * local runtime time to ring measures (HTTP bridge, ingest, dynalite, the in-process queue,
 * dispatch, the simulator). Webhooks go one at a time, each waiting for its dispatch to finish,
 * so every request belongs to the call in flight; a request is on the ingest step until the
 * call's message is queued, on dispatch's until the simulator has the Call API request, and
 * after it then (the outcome). Ingest awaits its writes before it queues, and dispatch its
 * reservation before it sends, so each request answers within its step; but the kept event,
 * which ingest writes while it queues the message (nothing waits for it to ring), is a step of
 * its own, `ingest, beside the enqueue`, known by its key. Each path is listed in the steps'
 * order.
 */
export const measureRequestsPerCall = async (
  calls: number,
  options: { keepEvent: boolean } = { keepEvent: true },
): Promise<RequestsPerCall> => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  const config = await loadConfigFile('callhook.config.json');
  const callback = config.routes.callback;
  if (callback === undefined) throw new Error('the shipped config has no callback route');
  const counters: Counters = { readUnits: 0, writeUnits: 0, indexWriteUnits: 0, dynamoCalls: 0 };
  let seen: PathRequest[] = [];
  let step = (): PathStep => 'ingest';
  const runtime = await startLocalRuntime({
    // The route as shipped, or with `keep_event: false` for what a call costs without it.
    config: {
      ...config,
      routes: { ...config.routes, callback: { ...callback, keep_event: options.keepEvent } },
    },
    secretsFile: 'callhook.secrets.local.json',
    adminKey: 'bench-admin-key',
    port: 0,
    simulatorPort: 0,
    sweepIntervalMs: 0,
    simulator: { minuteLimit: 1_000_000, dayLimit: 100_000_000 },
    dynamoClient: (clientConfig) =>
      countingClient(clientConfig, TABLE_NAMES, counters, {
        // Ingest writes the kept event while it enqueues: by time it would fall on either side.
        request: (request) =>
          seen.push({
            ...request,
            step: KEPT_EVENT.test(request.key ?? '') ? 'ingest, beside the enqueue' : step(),
          }),
      }),
  });
  try {
    // The calls end long after the run: no end-of-call notification adds its requests.
    runtime.simulator.notifyTo(undefined);
    const paths: PathRequest[][] = [];
    for (let i = 0; i < calls; i += 1) {
      seen = [];
      const queued = runtime.queue.sentCount;
      const placed = runtime.simulator.requestCount('start.simple_call');
      step = () =>
        runtime.queue.sentCount === queued
          ? 'ingest'
          : runtime.simulator.requestCount('start.simple_call') === placed
            ? 'dispatch'
            : 'after the Call API request';
      const response = await fetch(`${runtime.bridgeUrl}/hooks/callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-callhook-token': 'demo-token' },
        body: JSON.stringify({ phone: `+7926${String(6_000_000 + i).padStart(7, '0')}` }),
      });
      if (response.status !== 202) throw new Error(`ingest answered ${response.status}`);
      await response.text();
      // The message is deleted once dispatch has handled it.
      while (runtime.queue.depth > 0) await once(runtime.queue, 'idle');
      if (runtime.simulator.requestCount('start.simple_call') !== placed + 1) {
        throw new Error('a webhook did not place exactly one call');
      }
      // In the path's order: the kept event's write answers before or after dispatch's first.
      paths.push([...seen].sort((a, b) => PATH_STEPS.indexOf(a.step) - PATH_STEPS.indexOf(b.step)));
    }
    const byPath = new Map<string, PathRequest[][]>();
    for (const path of paths) {
      const key = path.map(describeRequest).join('\n');
      byPath.set(key, [...(byPath.get(key) ?? []), path]);
    }
    const common = [...byPath.values()].sort((a, b) => b.length - a.length)[0] ?? [];
    const all = paths.flat();
    return {
      calls,
      per_call: round(all.length / calls),
      to_call_api: round(
        all.filter((r) => r.step === 'ingest' || r.step === 'dispatch').length / calls,
      ),
      read_units_per_call: round(counters.readUnits / calls),
      write_units_per_call: round((counters.writeUnits + counters.indexWriteUnits) / calls),
      path: common[0] ?? [],
      calls_on_path: common.length,
    };
  } finally {
    await runtime.stop();
  }
};
