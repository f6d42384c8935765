import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countingClient,
  type DynamoRequest,
  type IndexedWrite,
} from '../../bench/counting-client.ts';
import { createTables, type RunningDynalite } from '../../infra/local/dynalite.ts';
import { DynamoDbCallStore } from '../../shared/adapters/dynamodb/dynamodb-call-store.ts';
import { change } from '../../shared/calls/lifecycle.ts';
import { queuedRecord } from '../support/dispatch.ts';
import { DYNAMO_ENGINES } from '../support/dynamo-engines.ts';

/**
 * A call store whose every write to the calls table the cost bench's client prices both ways,
 * and every request it lists.
 */
const pricedStore = (dynamo: RunningDynalite) => {
  const writes: IndexedWrite[] = [];
  const requests: DynamoRequest[] = [];
  const counters = { readUnits: 0, writeUnits: 0, indexWriteUnits: 0, dynamoCalls: 0 };
  const names = { calls: 'calls', contacts: 'contacts', limits: 'limits' };
  const client = countingClient(dynamo.clientConfig, names, counters, {
    indexedWrite: (write) => writes.push(write),
    request: (request) => requests.push(request),
  });
  return {
    store: new DynamoDbCallStore({ tableName: 'calls', client }),
    writes,
    requests,
    counters,
  };
};

const request = (
  kind: string,
  table: string,
  key: string,
  units: Partial<Pick<DynamoRequest, 'readUnits' | 'writeUnits' | 'indexWriteUnits' | 'refused'>>,
): DynamoRequest => ({
  kind,
  table,
  key,
  readUnits: 0,
  writeUnits: 0,
  indexWriteUnits: 0,
  refused: false,
  ...units,
});

// A call's life in the calls table, with the patches dispatch and the events endpoint write.
const liveOneCall = async (store: DynamoDbCallStore, callId: string) => {
  const at = new Date();
  const later = (ms: number) => new Date(at.getTime() + ms).toISOString();
  await store.create({ ...queuedRecord(callId), sweep_at: later(900_000) }, at);
  await store.update(callId, () =>
    change('claim', at, {
      set: { lease_owner: 'w1', lease_expires_at: later(60_000), sweep_at: later(60_000) },
    }),
  );
  await store.update(callId, () =>
    change('place', at, { set: { call_session_id: 7, session_key: 'acme#7', backend_id: '7' } }),
  );
  await store.update(callId, () =>
    change('ended', at, { set: { call_session_id: 7, session_key: 'acme#7' } }),
  );
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

  // Created: `by-sweep` and `by-created` (the list's entry, which no later write touches).
  it("prices a call's life at 2, 2, 2 and 0 index units (created, claimed, placed, completed)", async () => {
    const { store, writes } = pricedStore(dynamo);

    await liveOneCall(store, 'c_priced');

    expect(writes.map((write) => write.byRule)).toEqual([2, 2, 2, 0]);
    // DynamoDB Local reports what each write cost its indexes: the rule must agree with it.
    if (engine.reportsIndexCapacity) {
      expect(writes.map((write) => write.reported)).toEqual([2, 2, 2, 0]);
    }
  });

  it('lists each request with its kind, table, item and units, a write its condition refused included', async () => {
    const { store, requests, counters } = pricedStore(dynamo);

    await store.create(queuedRecord('c_listed'), new Date());
    // The same event again: the put is refused, then the stored record is read.
    await store.create(queuedRecord('c_listed'), new Date());

    expect(requests).toEqual([
      request('PutItem', 'calls', 'c_listed', { writeUnits: 1, indexWriteUnits: 1 }),
      request('PutItem', 'calls', 'c_listed', { writeUnits: 1, refused: true }),
      request('GetItem', 'calls', 'c_listed', { readUnits: 1 }),
    ]);
    expect(counters.dynamoCalls).toBe(requests.length);
  });
});
