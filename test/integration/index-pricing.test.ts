import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Index, indexWrites } from '../../bench/index-writes.ts';
import { createTables, type RunningDynalite } from '../../infra/local/dynalite.ts';
import { DynamoDbCallStore } from '../../shared/adapters/dynamodb/dynamodb-call-store.ts';
import { TABLES } from '../../shared/adapters/dynamodb/tables.ts';
import { queuedRecord } from '../support/dispatch.ts';
import { DYNAMO_ENGINES, type DynamoEngine } from '../support/dynamo-engines.ts';

interface PricedWrite {
  /** Index units by the cost bench's rule, from the item before and after. */
  byRule: number;
  /** Index units as the engine reports them, where it does (DynamoDB Local). */
  reported: number | undefined;
}

/** A call store whose every write to the calls table is priced both ways. */
const pricedStore = (dynamo: RunningDynalite, engine: DynamoEngine) => {
  const writes: PricedWrite[] = [];
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(dynamo.clientConfig), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const images = DynamoDBDocumentClient.from(new DynamoDBClient(dynamo.clientConfig));
  const image = async (key: Record<string, unknown>) =>
    (await images.send(new GetCommand({ TableName: 'calls', Key: key, ConsistentRead: true })))
      .Item;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!/^(Put|Update)Item/.test(String(context.commandName))) return next(args);
      const input = args.input as {
        Key?: Record<string, unknown>;
        Item?: { call_id: string };
        ReturnConsumedCapacity?: string;
      };
      input.ReturnConsumedCapacity = 'INDEXES';
      const key = input.Key ?? { call_id: input.Item?.call_id };
      const before = await image(key);
      const result = await next(args);
      const byRule = indexWrites(
        TABLES.calls.indexes as readonly Index[],
        before,
        await image(key),
      );
      const capacity = (result.output as { ConsumedCapacity?: ConsumedCapacity }).ConsumedCapacity;
      // An index the write did not touch is left out of the report.
      const indexes = Object.values(capacity?.GlobalSecondaryIndexes ?? {});
      writes.push({
        byRule,
        reported: engine.reportsIndexCapacity
          ? indexes.reduce((sum, index) => sum + (index.CapacityUnits ?? 0), 0)
          : undefined,
      });
      return result;
    },
    { step: 'initialize', name: 'priceIndexWrites' },
  );
  return { store: new DynamoDbCallStore({ tableName: 'calls', client }), writes };
};

type ConsumedCapacity = { GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }> };

// A call's life in the calls table, with the patches dispatch and the events endpoint write.
const liveOneCall = async (store: DynamoDbCallStore, callId: string) => {
  const at = new Date();
  const later = (ms: number) => new Date(at.getTime() + ms).toISOString();
  await store.create({ ...queuedRecord(callId), sweep_at: later(900_000) }, at);
  await store.transition(callId, {
    from: 'queued',
    to: 'dialing',
    at,
    set: { lease_owner: 'w1', lease_expires_at: later(60_000), sweep_at: later(60_000) },
  });
  await store.transition(callId, {
    from: 'dialing',
    to: 'placed',
    at,
    set: { call_session_id: 7, session_key: 'acme#7', backend_id: '7' },
    remove: ['lease_owner', 'lease_expires_at', 'sweep_at'],
  });
  await store.transition(callId, {
    from: ['placed', 'unknown', 'dialing'],
    to: 'completed',
    at,
    set: { call_session_id: 7, session_key: 'acme#7' },
    remove: ['sweep_at', 'lease_owner', 'lease_expires_at'],
  });
};

describe.each(DYNAMO_ENGINES)("The cost bench's index pricing, on $name", (engine) => {
  let dynamo: RunningDynalite;

  beforeAll(async () => {
    dynamo = await engine.start();
    await createTables(dynamo.clientConfig, {
      calls: 'calls',
      contacts: 'contacts',
      limits: 'limits',
    });
  });
  afterAll(() => dynamo.close());

  it("prices a call's life at 1, 2, 2 and 0 index units (created, claimed, placed, completed)", async () => {
    const { store, writes } = pricedStore(dynamo, engine);

    await liveOneCall(store, 'c_priced');

    expect(writes.map((write) => write.byRule)).toEqual([1, 2, 2, 0]);
    // DynamoDB Local reports what each write cost its indexes: the rule must agree with it.
    if (engine.reportsIndexCapacity) {
      expect(writes.map((write) => write.reported)).toEqual([1, 2, 2, 0]);
    }
  });
});
