import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { createTables, startDynalite } from '../infra/local/dynalite.ts';
import { SIMULATOR_DEMO_KEY, startLocalRuntime } from '../infra/local/runtime.ts';
import { startSimulator } from '../infra/local/simulator/simulator.ts';
import { documentClientFrom } from '../shared/adapters/dynamodb/document-client.ts';
import { InProcessQueue } from '../shared/adapters/local/in-process-queue.ts';
import { loadConfigFile } from '../shared/config/load.ts';
import { percentile, round } from './stats.ts';

export interface TimeToRing {
  webhooks: number;
  rate_per_second: number;
  /** Accepted (the record's `created_at`) → the simulator receives the Call API request. */
  pipeline: { p50_ms: number; p99_ms: number };
  /** The same hops done by hand: a put, an enqueue, a dequeue, one POST to a simulator. */
  floor: { p50_ms: number; p99_ms: number };
  p50_ratio: number;
  p99_ratio: number;
  /**
   * The floor of this design: the DynamoDB requests it cannot do without between a webhook and
   * its ring, done by hand (the per-number cap's put, the record's conditional put, the enqueue,
   * the dequeue, the claim's conditional update, one POST).
   */
  design_floor: { p50_ms: number; p99_ms: number };
  design_p50_ratio: number;
  design_p99_ratio: number;
}

const TOKEN = 'bench-token';
/** Limits no steady 20 a second comes near: the figure is about latency, not pacing. */
const ROOMY = { minuteLimit: 1_000_000, dayLimit: 100_000_000 };

const phoneOf = (block: number, i: number) => `+7926${String(block + i).padStart(7, '0')}`;

/**
 * How long a call waits between being accepted and its Call API request, through the local
 * runtime (ingest over HTTP, dynalite, the in-process queue, dispatch, the simulator) under a
 * steady `rate` webhooks a second; and, interleaved with it under the same load, the floor of
 * those hops without callhook's code in between.
 */
export const measureTimeToRing = async (webhooks: number, rate = 20): Promise<TimeToRing> => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  const dir = await mkdtemp(join(tmpdir(), 'callhook-bench-ring-'));
  const secretsFile = join(dir, 'secrets.json');
  await writeFile(
    secretsFile,
    JSON.stringify({
      'demo/callapi': { access_token: SIMULATOR_DEMO_KEY },
      'demo/hook-token': TOKEN,
      'demo/events-token': 'bench-events-token',
    }),
  );
  const config = await loadConfigFile('callhook.config.json');
  config.per_number_daily_limit = 1_000_000;
  const runtime = await startLocalRuntime({
    config,
    secretsFile,
    adminKey: 'bench-admin-key',
    port: 0,
    simulatorPort: 0,
    sweepIntervalMs: 0,
    simulator: ROOMY,
  });
  // The floor's own simulator and table, so neither side queues behind the other's requests.
  const floorSimulator = await startSimulator({
    keys: { 'floor-key': 'valid' },
    virtualNumbers: ['74993720692'],
    ...ROOMY,
  });
  const designSimulator = await startSimulator({
    keys: { 'floor-key': 'valid' },
    virtualNumbers: ['74993720692'],
    ...ROOMY,
  });
  const dynamo = await startDynalite();
  try {
    await createTables(dynamo.clientConfig, {
      calls: 'calls',
      contacts: 'contacts',
      limits: 'limits',
    });
    const client = documentClientFrom({ clientConfig: dynamo.clientConfig });
    /** A hand-made lane from put to POST; `design` adds the requests this design cannot drop. */
    const lane = (simulator: typeof floorSimulator, design: boolean) => {
      const started = new Map<string, number>();
      const queue = new InProcessQueue<{ id: string; contact: string }>();
      queue.start(async (batch: SQSEvent) => {
        await Promise.all(
          batch.Records.map(async (record) => {
            const { id, contact } = JSON.parse(record.body) as { id: string; contact: string };
            if (design) {
              // The claim: decided on the record it writes.
              await client.send(
                new UpdateCommand({
                  TableName: 'calls',
                  Key: { call_id: id },
                  UpdateExpression: 'SET #status = :dialing, sweep_at = :sweep',
                  ConditionExpression: '#status = :queued',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: {
                    ':dialing': 'dialing',
                    ':queued': 'queued',
                    ':sweep': new Date().toISOString(),
                  },
                }),
              );
            }
            const response = await fetch(`${simulator.url}/v4.0`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({
                jsonrpc: '2.0',
                id,
                method: 'start.simple_call',
                params: {
                  access_token: 'floor-key',
                  virtual_phone_number: '74993720692',
                  contact,
                  first_call: 'operator',
                  operator: '74951234567',
                  external_id: id,
                },
              }),
            });
            await response.text();
          }),
        );
        return { batchItemFailures: [] };
      });
      const once = async (i: number) => {
        const id = `${design ? 'd' : 'f'}_${i}`;
        const contact = phoneOf(design ? 6_000_000 : 5_000_000, i).slice(1);
        started.set(id, Date.now());
        if (design) {
          // The per-number cap decides before the record is stored.
          await client.send(
            new PutCommand({
              TableName: 'contacts',
              Item: { contact_key: `cap#${contact}`, count: 1 },
              ConditionExpression: 'attribute_not_exists(contact_key)',
            }),
          );
        }
        await client.send(
          new PutCommand({
            TableName: 'calls',
            Item: {
              call_id: id,
              status: 'queued',
              contact,
              created_at: new Date().toISOString(),
              // The design's record is in the sweeper's and the operators' indexes from its
              // first write, so its lane writes the same index entries.
              ...(design && { sweep_at: new Date().toISOString(), listed: 'calls' }),
            },
            ConditionExpression: 'attribute_not_exists(call_id)',
          }),
        );
        await queue.send({ id, contact });
      };
      const waitedMs = () =>
        simulator
          .calls()
          .map(
            (call) =>
              Date.parse(call.received_at) - (started.get(String(call.params.external_id)) ?? 0),
          );
      return { once, queue, started, waitedMs };
    };
    const floorLane = lane(floorSimulator, false);
    const designLane = lane(designSimulator, true);
    const pipelineOnce = async (i: number) => {
      const response = await fetch(`${runtime.bridgeUrl}/hooks/callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-callhook-token': TOKEN },
        body: JSON.stringify({ phone: phoneOf(4_000_000, i), name: 'Anna' }),
      });
      if (response.status !== 202) throw new Error(`ingest answered ${response.status}`);
      await response.text();
    };

    // Steady arrivals: one of each every 1/rate seconds, whatever the previous ones are doing.
    const steadily = async (count: number, first: number) => {
      const pending: Promise<void>[] = [];
      const started = performance.now();
      for (let i = 0; i < count; i += 1) {
        const due = started + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        pending.push(
          pipelineOnce(first + i),
          floorLane.once(first + i),
          designLane.once(first + i),
        );
      }
      await Promise.all(pending);
      const settled = async (reached: () => number) => {
        for (let tries = 0; reached() < count; tries += 1) {
          if (tries > 600) throw new Error('not every call reached the simulator');
          await sleep(50);
        }
      };
      await settled(() => runtime.simulator.calls().length);
      await settled(() => floorSimulator.calls().length);
      await settled(() => designSimulator.calls().length);
    };
    // Two seconds to warm up (JIT, connections, the secrets cache), forgotten before measuring.
    await steadily(2 * rate, 0);
    runtime.simulator.reset();
    for (const [simulator, { started }] of [
      [floorSimulator, floorLane],
      [designSimulator, designLane],
    ] as const) {
      simulator.reset();
      started.clear();
    }
    await steadily(webhooks, 2 * rate);
    await floorLane.queue.stop();
    await designLane.queue.stop();

    const pipelineMs: number[] = [];
    for (const call of runtime.simulator.calls()) {
      const record = await runtime.store.get(String(call.params.external_id));
      if (record === undefined) throw new Error('a placed call has no record');
      pipelineMs.push(Date.parse(call.received_at) - Date.parse(record.created_at));
    }
    const spread = (ms: number[]) => ({ p50_ms: percentile(ms, 50), p99_ms: percentile(ms, 99) });
    const pipeline = spread(pipelineMs);
    const floor = spread(floorLane.waitedMs());
    const designFloor = spread(designLane.waitedMs());
    // A floor of 0 ms (both in the same millisecond) would make the ratio infinite.
    const ratio = (a: number, b: number) => round(a / Math.max(b, 1));
    return {
      webhooks,
      rate_per_second: rate,
      pipeline,
      floor,
      p50_ratio: ratio(pipeline.p50_ms, floor.p50_ms),
      p99_ratio: ratio(pipeline.p99_ms, floor.p99_ms),
      design_floor: designFloor,
      design_p50_ratio: ratio(pipeline.p50_ms, designFloor.p50_ms),
      design_p99_ratio: ratio(pipeline.p99_ms, designFloor.p99_ms),
    };
  } finally {
    await dynamo.close();
    await floorSimulator.close();
    await designSimulator.close();
    await runtime.stop();
    await rm(dir, { recursive: true, force: true });
  }
};
