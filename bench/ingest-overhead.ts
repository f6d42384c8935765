import { performance } from 'node:perf_hooks';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createIngestHandler } from '../functions/ingest/handler.ts';
import { createTables, startDynalite } from '../infra/local/dynalite.ts';
import { lambdaContext } from '../infra/local/lambda-context.ts';
import { documentClientFrom } from '../shared/adapters/dynamodb/document-client.ts';
import { DynamoDbCallStore } from '../shared/adapters/dynamodb/dynamodb-call-store.ts';
import { DynamoDbContactCapStore } from '../shared/adapters/dynamodb/dynamodb-contact-cap-store.ts';
import { DynamoDbContactWindowStore } from '../shared/adapters/dynamodb/dynamodb-contact-window-store.ts';
import {
  DynamoDbKeptEvents,
  keptEventKey,
  storedEventOf,
} from '../shared/adapters/dynamodb/dynamodb-kept-events.ts';
import { InProcessQueue } from '../shared/adapters/local/in-process-queue.ts';
import { loadConfigFile } from '../shared/config/load.ts';
import { SWEEP_TIMING } from '../shared/dispatch/sweep-timing.ts';
import { createLogger } from '../shared/logging/logger.ts';
import { numberingForConfig } from '../shared/routes/numbering-for.ts';
import type { SecretStore } from '../shared/secrets/secrets.ts';
import { jsonPost } from './api-event.ts';
import { percentile, round } from './stats.ts';

export interface IngestOverhead {
  webhooks: number;
  ingest: { p50_ms: number; p99_ms: number };
  baseline: { p50_ms: number; p99_ms: number };
  p50_ratio: number;
  p99_ratio: number;
  /** The per-number cap's write for a new number alone, p50, against the baseline's p50. */
  cap_p50_ratio: number;
  /**
   * The I/O ingest cannot avoid: the cap's write and the baseline (the put, the enqueue), one
   * after the other in each sample; and ingest's p50 against its p50.
   */
  floor: { p50_ms: number; p99_ms: number };
  floor_p50_ratio: number;
  /** The put of a call's kept event alone (`<call id>#event`), p50, against the baseline's p50. */
  kept_p50_ratio: number;
  /**
   * The floor with the kept event's put, which ingest makes beside the enqueue: the enqueue takes
   * no time here (in-process), so the put adds all its own; and ingest's p50 against its p50.
   */
  floor_with_kept: { p50_ms: number; p99_ms: number };
  floor_with_kept_p50_ratio: number;
}

const TOKEN = 'bench-token';

const webhookEvent = (i: number): APIGatewayProxyEventV2 =>
  jsonPost({
    routeKey: 'POST /hooks/{route}',
    path: '/hooks/callback',
    pathParameters: { route: 'callback' },
    token: TOKEN,
    requestId: `r${i}`,
    body: { phone: `+7926${String(3_000_000 + i).padStart(7, '0')}`, name: 'Anna' },
  });

/**
 * What storing a call cannot do without, written as a literal rather than by callhook's code:
 * the ids, the call's request, the bookkeeping dispatch needs and the sweeper's index key, as
 * the `callback` route's record has them.
 */
const storedCall = (i: number) => {
  const at = new Date().toISOString();
  return {
    call_id: `b_${i}`,
    route: 'callback',
    account: 'demo',
    status: 'queued',
    request: {
      method: 'start.simple_call',
      params: {
        contact: `7926${String(3_000_000 + i).padStart(7, '0')}`,
        first_call: 'operator',
        operator: '74951234567',
      },
    },
    fingerprint: 'f'.repeat(64),
    attempts: 0,
    max_attempts: 5,
    history: [{ status: 'queued', at, reason: 'accepted (key from content)' }],
    sweep_at: at,
    version: 1,
    created_at: at,
    updated_at: at,
    expires_at: Math.floor(Date.now() / 1000) + 30 * 86_400,
  };
};

/** Webhooks ingested first and not timed: the JIT, the connections and the caches warm up. */
export const WARMUP = 50;

/**
 * The ingest handler in-process, warm, against a baseline doing only the unavoidable work of
 * accepting a webhook: one conditional put of a call's record to the same dynalite and one
 * enqueue. The two are
 * interleaved so that a busy moment hits both.
 */
export const measureIngestOverhead = async (webhooks: number): Promise<IngestOverhead> => {
  const dynamo = await startDynalite();
  try {
    const names = { calls: 'calls', contacts: 'contacts', limits: 'limits' };
    await createTables(dynamo.clientConfig, names);
    const client = documentClientFrom({ clientConfig: dynamo.clientConfig });
    const queue = new InProcessQueue();
    const secrets: SecretStore = {
      get: async (name) => (name === 'demo/hook-token' ? TOKEN : '{}'),
    };
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    const config = await loadConfigFile('callhook.config.json');
    const contacts = new DynamoDbContactCapStore({
      tableName: names.contacts,
      client,
      hashKey: async () => 'bench-contact-hash-key',
    });
    const ingest = createIngestHandler({
      config,
      numbering: numberingForConfig(config),
      store: new DynamoDbCallStore({ tableName: names.calls, client }),
      queue,
      keptEvents: new DynamoDbKeptEvents({ tableName: names.calls, client }),
      secrets,
      contacts,
      contactWindows: new DynamoDbContactWindowStore({
        tableName: names.contacts,
        client,
        hashKey: async () => 'bench-contact-hash-key',
      }),
      logger: createLogger('bench'),
      now: () => new Date(),
      timing: SWEEP_TIMING,
    });
    const baseline = async (i: number) => {
      await client.send(
        new PutCommand({
          TableName: names.calls,
          Item: storedCall(i),
          ConditionExpression: 'attribute_not_exists(call_id)',
        }),
      );
      await queue.send({ call_id: `b_${i}` });
    };
    // The kept event of a `callback` webhook, as ingest keeps it (its number masked).
    const keptItem = (i: number) => ({
      call_id: keptEventKey(`b_${i}`),
      expires_at: Math.floor(Date.now() / 1000) + 30 * 86_400,
      event: storedEventOf({
        payload: { phone: '*******0000', name: 'Anna' },
        truncated: false,
        received_bytes: 40,
        read: [{ path: ['phone'], as: ['contact'] }],
      }),
    });
    const time = async (run: () => Promise<unknown>) => {
      const started = performance.now();
      await run();
      return performance.now() - started;
    };
    const context = lambdaContext('ingest');
    const ingestTimes: number[] = [];
    const baselineTimes: number[] = [];
    const capTimes: number[] = [];
    const floorTimes: number[] = [];
    const keptTimes: number[] = [];
    const floorWithKeptTimes: number[] = [];
    for (let i = 0; i < WARMUP + webhooks; i += 1) {
      const spentIngest = await time(async () => {
        const answer = await ingest(webhookEvent(i), context);
        if (answer.statusCode !== 202) throw new Error(`ingest answered ${answer.statusCode}`);
      });
      const spentBaseline = await time(() => baseline(i));
      const spentCap = await time(() =>
        contacts.admit(`7916${String(i).padStart(7, '0')}`, `cap_${i}`, new Date(), 3),
      );
      const spentKept = await time(() =>
        client.send(new PutCommand({ TableName: names.calls, Item: keptItem(i) })),
      );
      if (i >= WARMUP) {
        ingestTimes.push(spentIngest);
        baselineTimes.push(spentBaseline);
        capTimes.push(spentCap);
        floorTimes.push(spentCap + spentBaseline);
        keptTimes.push(spentKept);
        floorWithKeptTimes.push(spentCap + spentBaseline + spentKept);
      }
    }
    const summary = (samples: number[]) => ({
      p50_ms: round(percentile(samples, 50), 3),
      p99_ms: round(percentile(samples, 99), 3),
    });
    const ingestSummary = summary(ingestTimes);
    const baselineSummary = summary(baselineTimes);
    const floorSummary = summary(floorTimes);
    const floorWithKeptSummary = summary(floorWithKeptTimes);
    return {
      webhooks,
      ingest: ingestSummary,
      baseline: baselineSummary,
      p50_ratio: round(ingestSummary.p50_ms / baselineSummary.p50_ms),
      p99_ratio: round(ingestSummary.p99_ms / baselineSummary.p99_ms),
      cap_p50_ratio: round(percentile(capTimes, 50) / baselineSummary.p50_ms),
      floor: floorSummary,
      floor_p50_ratio: round(ingestSummary.p50_ms / floorSummary.p50_ms),
      kept_p50_ratio: round(percentile(keptTimes, 50) / baselineSummary.p50_ms),
      floor_with_kept: floorWithKeptSummary,
      floor_with_kept_p50_ratio: round(ingestSummary.p50_ms / floorWithKeptSummary.p50_ms),
    };
  } finally {
    await dynamo.close();
  }
};
