import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbContactCapStore } from '../../shared/adapters/dynamodb/dynamodb-contact-cap-store.ts';
import type { ReportedOutcome } from '../../shared/calls/attempts.ts';
import type { CallRecord } from '../../shared/calls/call-record.ts';
import type { CallStore } from '../../shared/calls/call-store.ts';
import { parseConfig } from '../../shared/config/load.ts';
import { type OutcomeDeps, settleReported } from '../../shared/dispatch/outcome-look.ts';
import { SWEEP_TIMING } from '../../shared/dispatch/sweep-timing.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { keySecrets, queuedRecord, startCallsTable } from '../support/dispatch.ts';

const CONTACT = '79260000000';
const NO_ANSWER: ReportedOutcome = {
  result: 'no_answer',
  finish_reason: 'subscriber_not_responsible',
  talk_s: 0,
  wait_s: 40,
  ended_at: new Date(Date.now() - 60_000).toISOString(),
};

const config = parseConfig(
  {
    accounts: {
      acme: {
        base_url: 'http://127.0.0.1:9',
        secret: 'acme/callapi',
        virtual_phone_number: '74993720692',
        data_api: { secret: 'acme/dataapi', base_url: 'http://127.0.0.1:9' },
      },
    },
    routes: {
      callback: {
        account: 'acme',
        auth: { type: 'none' },
        call: {
          method: 'start.simple_call',
          contact: 'phone',
          params: { first_call: 'operator', operator: '74951234567' },
        },
        redial: { on: ['no_answer'], max: 2, after_minutes: 10 },
      },
    },
    per_number_daily_limit: 2,
  },
  'redial races',
);

/**
 * Scheduling a redial against dynalite, as two sweepers or one that crashed would: the attempt
 * is scheduled once and counted once by the per-number cap.
 */
describe('Redials under crashes and concurrent sweeps', () => {
  let table: Awaited<ReturnType<typeof startCallsTable>>;
  let contacts: DynamoDbContactCapStore;
  beforeAll(async () => {
    table = await startCallsTable();
    contacts = new DynamoDbContactCapStore({
      tableName: 'contacts',
      clientConfig: table.clientConfig,
      hashKey: async () => 'a-test-hash-key-of-16+',
    });
  });
  afterAll(() => table.close());

  const deps = (store: CallStore = table.store): OutcomeDeps => ({
    config,
    store,
    limits: table.limits,
    connection: { secrets: keySecrets },
    logger: createLogger('redial-races'),
    now: () => new Date(),
    timing: SWEEP_TIMING,
    contacts,
  });

  /** A placed call whose first attempt the cap counted, as ingest does. */
  const placed = async (callId: string, contact: string): Promise<CallRecord> => {
    const at = new Date().toISOString();
    const record: CallRecord = {
      ...queuedRecord(callId),
      status: 'placed',
      attempts: 1,
      call_session_id: 42,
      history: [
        { status: 'queued', at },
        { status: 'dialing', at },
        { status: 'placed', at },
      ],
      sweep_at: at,
      request: {
        method: 'start.simple_call',
        params: {
          first_call: 'operator',
          operator: '74951234567',
          virtual_phone_number: '74993720692',
          contact,
        },
      },
    };
    await table.store.create(record, new Date());
    return record;
  };

  it('schedules the redial once, and counts it once, when a sweeper crashed halfway and ran again', async () => {
    const record = await placed('c_00000000000000000000000000000001', CONTACT);
    await contacts.admit(CONTACT, record.call_id, new Date(), 2);
    let crashed = false;
    const store = table.store;
    const crashing: CallStore = {
      create: (...args) => store.create(...args),
      get: (id) => store.get(id),
      transition: async (...args) => {
        if (!crashed) {
          crashed = true;
          throw new Error('the sweeper stopped');
        }
        return store.transition(...args);
      },
      listDue: (...args) => store.listDue(...args),
      list: (query) => store.list(query),
      findBySession: (key) => store.findBySession(key),
    };

    const first = await settleReported(
      deps(crashing),
      record,
      { outcome: NO_ANSWER, sessionId: 42 },
      { redial: true },
    ).catch((error: unknown) => error);
    const again = await settleReported(
      deps(),
      record,
      { outcome: NO_ANSWER, sessionId: 42 },
      { redial: true },
    );

    expect(first).toBeInstanceOf(Error);
    expect(again).toBe('redialled');
    expect(await table.store.get(record.call_id)).toMatchObject({
      status: 'scheduled',
      redials: 1,
    });
    // The first call and the redial: the cap of 2 still had room for the repeat of the same id.
    expect(
      (await contacts.counted(CONTACT, new Date())).map((entry) => entry.call_id).sort(),
    ).toEqual([record.call_id, `${record.call_id}-2`]);
  });

  it('lets one of two concurrent sweepers schedule it, and keeps its count', async () => {
    const other = '79260000009';
    const stored = await placed('c_00000000000000000000000000000002', other);

    const results = await Promise.all([
      settleReported(deps(), stored, { outcome: NO_ANSWER, sessionId: 42 }, { redial: true }),
      settleReported(deps(), stored, { outcome: NO_ANSWER, sessionId: 42 }, { redial: true }),
    ]);

    expect(results.sort()).toEqual(['redialled', 'unchanged']);
    expect(await table.store.get(stored.call_id)).toMatchObject({
      status: 'scheduled',
      redials: 1,
    });
    // The loser saw the attempt scheduled by the winner: the count it shares stays.
    expect((await contacts.counted(other, new Date())).map((entry) => entry.call_id)).toEqual([
      `${stored.call_id}-2`,
    ]);
  });

  it('gives the count back when the call changed before the redial was written', async () => {
    const number = '79260000008';
    const stored = await placed('c_00000000000000000000000000000003', number);
    // An operator's cancel got there first (a hang-up: the call is completed, redials stopped).
    await table.store.transition(stored.call_id, {
      from: 'placed',
      to: 'completed',
      at: new Date(),
      set: { redial_stopped: 'cancelled by an operator' },
    });

    const result = await settleReported(
      deps(),
      stored,
      { outcome: NO_ANSWER, sessionId: 42 },
      { redial: true },
    );

    expect(result).toBe('unchanged');
    expect(await contacts.counted(number, new Date())).toEqual([]);
  });
});
