import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbContactCapStore } from '../../shared/adapters/dynamodb/dynamodb-contact-cap-store.ts';
import { changedRecord } from '../../shared/calls/announce.ts';
import { type ReportedOutcome, withCurrentDial } from '../../shared/calls/attempts.ts';
import type { CallRecord } from '../../shared/calls/call-record.ts';
import type { CallStore } from '../../shared/calls/call-store.ts';
import { change } from '../../shared/calls/lifecycle.ts';
import { parseConfig } from '../../shared/config/load.ts';
import { cancelCall } from '../../shared/dispatch/operator-actions.ts';
import { type OutcomeDeps, settleReported } from '../../shared/dispatch/outcome-look.ts';
import { SWEEP_TIMING } from '../../shared/dispatch/sweep-timing.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { keySecrets, queuedRecord, recordingQueue, startCallsTable } from '../support/dispatch.ts';

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
      update: async (...args) => {
        if (!crashed) {
          crashed = true;
          throw new Error('the sweeper stopped');
        }
        return store.update(...args);
      },
      listDue: (...args) => store.listDue(...args),
      list: (query) => store.list(query),
      findBySession: (key) => store.findBySession(key),
    };

    const first = await settleReported(
      deps(crashing),
      record,
      { attempt: 1, outcome: NO_ANSWER, sessionId: 42 },
      { redial: true },
    ).catch((error: unknown) => error);
    const again = await settleReported(
      deps(),
      record,
      { attempt: 1, outcome: NO_ANSWER, sessionId: 42 },
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
      settleReported(
        deps(),
        stored,
        { attempt: 1, outcome: NO_ANSWER, sessionId: 42 },
        { redial: true },
      ),
      settleReported(
        deps(),
        stored,
        { attempt: 1, outcome: NO_ANSWER, sessionId: 42 },
        { redial: true },
      ),
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
    // An operator's cancel got there first (a hang-up: the call is cancelled, nothing follows).
    await table.store.update(stored.call_id, () =>
      change('cancelRinging', new Date(), { set: { redial_stopped: 'cancelled by an operator' } }),
    );

    const result = await settleReported(
      deps(),
      stored,
      { attempt: 1, outcome: NO_ANSWER, sessionId: 42 },
      { redial: true },
    );

    // The report is kept on its attempt; the call stays cancelled.
    expect(result).toBe('noted');
    expect(await table.store.get(stored.call_id)).toMatchObject({ status: 'cancelled' });
    expect(await contacts.counted(number, new Date())).toEqual([]);
  });

  it('gives the count back when a sweeper that crashed after charging it finds the chain stopped', async () => {
    const number = '79260000005';
    const record = await placed('c_00000000000000000000000000000006', number);
    await contacts.admit(number, record.call_id, new Date(), 2);
    const store = table.store;
    const crashing: CallStore = {
      create: (...args) => store.create(...args),
      get: (id) => store.get(id),
      update: async () => {
        throw new Error('the sweeper stopped');
      },
      listDue: (...args) => store.listDue(...args),
      list: (query) => store.list(query),
      findBySession: (key) => store.findBySession(key),
    };
    const crashed = await settleReported(
      deps(crashing),
      record,
      { attempt: 1, outcome: NO_ANSWER, sessionId: 42 },
      { redial: true },
    ).catch((error: unknown) => error);
    // Before the sweeper runs again, an operator stops the chain.
    const stopped = changedRecord(
      await table.store.update(
        record.call_id,
        () => change('redialsStopped', new Date(), { set: { redial_stopped: 'cancelled' } }),
        record,
      ),
    );
    if (stopped === undefined) throw new Error('the chain was not stopped');

    const again = await settleReported(
      deps(),
      stopped,
      { attempt: 1, outcome: NO_ANSWER, sessionId: 42 },
      { redial: true },
    );

    expect(crashed).toBeInstanceOf(Error);
    expect(again).toBe('completed');
    // The redial the crashed run charged will never be made.
    expect((await contacts.counted(number, new Date())).map((entry) => entry.call_id)).toEqual([
      record.call_id,
    ]);
  });

  it('keeps the count of an attempt a stale sweeper finds made, when the chain has moved past it', async () => {
    const number = '79260000007';
    const stale = await placed('c_00000000000000000000000000000004', number);
    const second = `${stale.call_id}-2`;
    await contacts.admit(number, stale.call_id, new Date(), 2);
    // Meanwhile another sweeper redialled (charging attempt 2), attempt 2 was made, and its
    // report scheduled attempt 3: the call is past the attempt this sweeper would schedule.
    await contacts.admit(number, second, new Date(), 2);
    const due = new Date().toISOString();
    await table.store.update(stale.call_id, () =>
      change('redialScheduled', new Date(), {
        set: { attempt: 3, redials: 2, due_at: due, sweep_at: due },
      }),
    );

    const result = await settleReported(
      deps(),
      stale,
      { attempt: 1, outcome: NO_ANSWER, sessionId: 42 },
      { redial: true },
    );

    // Attempt 1 is long behind the call (on attempt 3): its report moves nothing.
    expect(result).toBe('unchanged');
    expect(await table.store.get(stale.call_id)).toMatchObject({ status: 'scheduled', attempt: 3 });
    // Attempt 2 was made: its count stays, or the number could get one call more than its cap.
    expect((await contacts.counted(number, new Date())).map((entry) => entry.call_id)).toContain(
      second,
    );
  });

  it('cancels the redial a sweeper scheduled while an operator was cancelling the ended call', async () => {
    const number = '79260000006';
    const at = new Date().toISOString();
    const ended = await placed('c_00000000000000000000000000000005', number);
    // A notification said it ended; its report, still to be read, may ask for a redial.
    const notified = changedRecord(
      await table.store.update(
        ended.call_id,
        (current) =>
          change('endedAwaitingReport', new Date(), {
            set: {
              sweep_at: at,
              outcome: { answered: false, reported_by: 'notification' },
              dials: withCurrentDial(current, { ended_at: at }),
            },
          }),
        ended,
      ),
    );
    if (notified === undefined) throw new Error('the notification was not recorded');
    // The sweeper reads the report and schedules the redial just before the operator's write.
    let swept = false;
    const store = table.store;
    const racing: CallStore = {
      create: (...args) => store.create(...args),
      get: (id) => store.get(id),
      update: async (...args) => {
        if (!swept) {
          swept = true;
          await settleReported(
            deps(),
            notified,
            { attempt: 1, outcome: NO_ANSWER, sessionId: 42 },
            { redial: true },
          );
        }
        return store.update(...args);
      },
      listDue: (...args) => store.listDue(...args),
      list: (query) => store.list(query),
      findBySession: (key) => store.findBySession(key),
    };

    const cancelled = await cancelCall(
      {
        config,
        store: racing,
        queue: recordingQueue().queue,
        connection: { secrets: keySecrets },
        logger: createLogger('redial-races'),
        now: () => new Date(),
        timing: SWEEP_TIMING,
      },
      ended.call_id,
      { requestId: 'r-cancel' },
    );

    expect(swept).toBe(true);
    expect(cancelled.status).toBe('cancelled');
    expect(await table.store.get(ended.call_id)).toMatchObject({ status: 'cancelled', redials: 1 });
  });
});
