import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingClient } from '../../bench/counting-client.ts';
import { DynamoDbCallStore } from '../../shared/adapters/dynamodb/dynamodb-call-store.ts';
import { DynamoDbContactCapStore } from '../../shared/adapters/dynamodb/dynamodb-contact-cap-store.ts';
import type { CallbackDelivery, CallRecord } from '../../shared/calls/call-record.ts';
import type { CallPage } from '../../shared/calls/call-store.ts';
import { change } from '../../shared/calls/lifecycle.ts';
import { queuedRecord, startCallsTable } from '../support/dispatch.ts';
import { DYNAMO_ENGINES } from '../support/dynamo-engines.ts';

const from = (page: CallPage) => (page.next === undefined ? {} : { after: page.next });

// The same contract on dynalite and, where Java exists, the official DynamoDB Local.
describe.each(DYNAMO_ENGINES)('On $name', (engine) => {
  describe('Class: DynamoDbCallStore', () => {
    let table: Awaited<ReturnType<typeof startCallsTable>>;
    const now = new Date();

    beforeAll(async () => {
      table = await startCallsTable(engine.start);
    });
    afterAll(() => table.close());

    describe('Method: create', () => {
      it('writes a new record', async () => {
        expect(await table.store.create(queuedRecord('c_new'), now)).toEqual({ created: true });
        expect(await table.store.get('c_new')).toMatchObject({ status: 'queued', version: 1 });
      });

      it('returns the existing record instead of overwriting it', async () => {
        await table.store.create(queuedRecord('c_dup'), now);
        const second = { ...queuedRecord('c_dup'), fingerprint: 'other' };

        const outcome = await table.store.create(second, now);

        expect(outcome).toMatchObject({ created: false, existing: { fingerprint: 'f' } });
      });

      it('lets exactly one of many concurrent creates win', async () => {
        const outcomes = await Promise.all(
          Array.from({ length: 20 }, () => table.store.create(queuedRecord('c_race'), now)),
        );

        expect(outcomes.filter((o) => o.created)).toHaveLength(1);
      });

      it('treats an expired record as absent', async () => {
        await table.store.create({ ...queuedRecord('c_old'), expires_at: 1 }, now);

        const outcome = await table.store.create(
          { ...queuedRecord('c_old'), fingerprint: 'new' },
          now,
        );

        expect(outcome).toEqual({ created: true });
        expect((await table.store.get('c_old'))?.fingerprint).toBe('new');
      });
    });

    describe('Method: get', () => {
      it('hides a record whose expiry has passed, though TTL has not deleted it yet', async () => {
        await table.store.create({ ...queuedRecord('c_expired'), expires_at: 1 }, now);

        expect(await table.store.get('c_expired')).toBeUndefined();
      });
    });

    describe('Method: update', () => {
      const claimBy = (owner: string) => (record: CallRecord) =>
        record.status === 'queued'
          ? change('claim', now, {
              reason: 'claimed',
              set: { attempts: record.attempts + 1, lease_owner: owner, sweep_at: 'z' },
            })
          : undefined;

      it('writes the decided change, bumps the version and appends history', async () => {
        await table.store.create(queuedRecord('c_move'), now);

        const moved = await table.store.update('c_move', claimBy('me'));

        expect(moved.kind).toBe('changed');
        const record = moved.kind === 'changed' ? moved.record : undefined;
        expect(record).toMatchObject({
          status: 'dialing',
          version: 2,
          attempts: 1,
          lease_owner: 'me',
        });
        expect(record?.history.at(-1)).toEqual({
          status: 'dialing',
          at: now.toISOString(),
          reason: 'claimed',
        });
      });

      it('writes nothing when the decision is no change', async () => {
        await table.store.create(queuedRecord('c_none'), now);

        const result = await table.store.update('c_none', () => undefined);

        expect(result).toMatchObject({
          kind: 'unchanged',
          record: { status: 'queued', version: 1 },
        });
        expect((await table.store.get('c_none'))?.version).toBe(1);
      });

      it('throws on a decision the lifecycle table forbids in the stored state', async () => {
        await table.store.create(queuedRecord('c_wrong'), now);

        await expect(table.store.update('c_wrong', () => change('place', now, {}))).rejects.toThrow(
          /place does not apply to a queued call/,
        );
        expect((await table.store.get('c_wrong'))?.status).toBe('queued');
      });

      it('lets one of three concurrent claims win: the others decide again on what it wrote', async () => {
        await table.store.create(queuedRecord('c_claim'), now);

        const results = await Promise.all([
          table.store.update('c_claim', claimBy('a')),
          table.store.update('c_claim', claimBy('b')),
          table.store.update('c_claim', claimBy('c')),
        ]);

        expect(results.filter((r) => r.kind === 'changed')).toHaveLength(1);
        expect(results.filter((r) => r.kind === 'unchanged')).toHaveLength(2);
        expect((await table.store.get('c_claim'))?.attempts).toBe(1);
      });

      it('decides again on the stored record when the one it was given is stale', async () => {
        await table.store.create(queuedRecord('c_stale'), now);
        const stale = (await table.store.get('c_stale')) as CallRecord;
        await table.store.update('c_stale', (record) =>
          change('cancelWaiting', now, { reason: `cancelled at v${record.version}` }),
        );
        const seen: string[] = [];

        const result = await table.store.update(
          'c_stale',
          (record) => {
            seen.push(record.status);
            return claimBy('late')(record);
          },
          stale,
        );

        expect(seen).toEqual(['queued', 'cancelled']);
        expect(result.kind).toBe('unchanged');
        expect((await table.store.get('c_stale'))?.status).toBe('cancelled');
      });

      it('removes what the rule clears and keeps what the change sets', async () => {
        await table.store.create(queuedRecord('c_owner'), now);
        await table.store.update('c_owner', claimBy('me'));

        const placed = await table.store.update('c_owner', () =>
          change('place', now, { set: { call_session_id: 7 } }),
        );

        const record = placed.kind === 'changed' ? placed.record : undefined;
        expect(record).toMatchObject({ status: 'placed', call_session_id: 7 });
        expect(record).not.toHaveProperty('lease_owner');
        expect(record).not.toHaveProperty('sweep_at');
      });

      it('answers absent for a call that is not there', async () => {
        expect(await table.store.update('c_missing', claimBy('me'))).toEqual({ kind: 'absent' });
      });
    });

    describe('Method: listDue', () => {
      it('lists the records of one state whose sweep time has come, and no others', async () => {
        const past = new Date(now.getTime() - 60_000).toISOString();
        const future = new Date(now.getTime() + 60_000).toISOString();
        await table.store.create(
          { ...queuedRecord('c_due'), status: 'scheduled', sweep_at: past },
          now,
        );
        await table.store.create(
          { ...queuedRecord('c_later'), status: 'scheduled', sweep_at: future },
          now,
        );
        await table.store.create({ ...queuedRecord('c_unswept'), status: 'scheduled' }, now);
        await table.store.create({ ...queuedRecord('c_other'), sweep_at: past }, now);

        const due = await table.store.listDue('scheduled', now, 10);

        expect(due.map((record) => record.call_id)).toEqual(['c_due']);
      });
    });

    describe('Method: list', () => {
      // Records of their own hour of 2001, so the other tests' records stay out of the window.
      const hour = '2001-02-03T04';
      const since = `${hour}:00:00.000Z`;
      const until = `${hour}:59:59.999Z`;
      const listed = (id: string, minute: number, extra: Partial<CallRecord> = {}): CallRecord => ({
        ...queuedRecord(id),
        created_at: `${hour}:${String(minute).padStart(2, '0')}:00.000Z`,
        contact_last4: '0000',
        ...extra,
      });
      const ids = (page: { records: CallRecord[] }) => page.records.map((record) => record.call_id);

      beforeAll(async () => {
        await table.store.create(listed('c_l1', 1), now);
        await table.store.create(listed('c_l2', 2, { route: 'other' }), now);
        await table.store.create(listed('c_l3', 3, { status: 'failed' }), now);
        await table.store.create(listed('c_l4', 4, { contact_last4: '1234' }), now);
        await table.store.create(listed('c_l5', 5), now);
        await table.store.create(listed('c_l6', 6, { expires_at: 1 }), now);
      });

      it('lists newest first, without expired records', async () => {
        const page = await table.store.list({ since, until, limit: 10 });

        expect(ids(page)).toEqual(['c_l5', 'c_l4', 'c_l3', 'c_l2', 'c_l1']);
        expect(page.next).toBeUndefined();
        expect(page.records[0]).not.toHaveProperty('listed');
      });

      it('pages: each page ends where the next starts, and the last has no next', async () => {
        const first = await table.store.list({ since, until, limit: 2 });
        const second = await table.store.list({ since, until, limit: 2, ...from(first) });
        const third = await table.store.list({ since, until, limit: 2, ...from(second) });

        expect([ids(first), ids(second), ids(third)]).toEqual([
          ['c_l5', 'c_l4'],
          ['c_l3', 'c_l2'],
          ['c_l1'],
        ]);
        expect(first.next).toEqual({ created_at: `${hour}:04:00.000Z`, call_id: 'c_l4' });
        expect(third.next).toBeUndefined();
      });

      it('gives no next for a page that ends exactly at the last record', async () => {
        // Up to minute 5: the expired record of minute 6 could only be skipped, not peeked past.
        const page = await table.store.list({ since, until: `${hour}:05:00.000Z`, limit: 5 });

        expect(ids(page)).toHaveLength(5);
        expect(page.next).toBeUndefined();
      });

      it('filters by route, status, contact and time', async () => {
        expect(ids(await table.store.list({ since, until, limit: 10, route: 'other' }))).toEqual([
          'c_l2',
        ]);
        expect(ids(await table.store.list({ limit: 10, route: 'other' }))).toEqual(['c_l2']);
        expect(
          ids(await table.store.list({ since, until, limit: 10, statuses: ['failed', 'skipped'] })),
        ).toEqual(['c_l3']);
        expect(
          ids(await table.store.list({ since, until, limit: 10, contactLast4: '1234' })),
        ).toEqual(['c_l4']);
        expect(
          ids(
            await table.store.list({
              since: `${hour}:02:00.000Z`,
              until: `${hour}:03:00.000Z`,
              limit: 10,
            }),
          ),
        ).toEqual(['c_l3', 'c_l2']);
      });

      it('pages through filtered results without losing or repeating one', async () => {
        const query = { since, until, limit: 1, statuses: ['queued'] as const };
        const seen: string[] = [];
        let page = await table.store.list(query);
        for (let i = 0; i < 10; i++) {
          seen.push(...ids(page));
          if (page.next === undefined) break;
          page = await table.store.list({ ...query, after: page.next });
        }

        expect(seen).toEqual(['c_l5', 'c_l4', 'c_l2', 'c_l1']);
      });

      it('answers an empty page for a query nothing matches', async () => {
        const page = await table.store.list({ since, until, limit: 10, route: 'nowhere' });

        expect(page).toEqual({ records: [] });
        expect(await table.store.list({ limit: 10, route: 'nowhere' })).toEqual({ records: [] });
      });
    });

    describe('Method: findBySession', () => {
      it('finds a call by its session key, and nothing for another account', async () => {
        await table.store.create({ ...queuedRecord('c_session'), session_key: 'acme#77' }, now);

        expect((await table.store.findBySession('acme#77'))?.call_id).toBe('c_session');
        expect(await table.store.findBySession('other#77')).toBeUndefined();
      });
    });

    describe('Method: recordDelivery', () => {
      const delivery = (webhookId: string, attempts: number): CallbackDelivery => ({
        webhook_id: webhookId,
        attempts,
        outcome: attempts < 3 ? 'retrying' : 'delivered',
        at: new Date(Date.UTC(2026, 0, 1, 0, attempts)).toISOString(),
        status: 'queued',
      });

      it("keeps each webhook's latest attempt, without touching the call's state or version", async () => {
        await table.store.create(queuedRecord('c_log'), now);

        await table.store.recordDelivery('c_log', delivery('c_log.1', 1));
        await table.store.recordDelivery('c_log', delivery('c_log.2', 1));
        await table.store.recordDelivery('c_log', delivery('c_log.1', 3));
        // A redelivered message that finishes late does not replace the later attempt.
        await table.store.recordDelivery('c_log', delivery('c_log.1', 2));

        expect(await table.store.deliveriesOf('c_log')).toEqual({
          'c_log.1': delivery('c_log.1', 3),
          'c_log.2': delivery('c_log.2', 1),
        });
        // Kept beside the record: a delivery never rewrites it.
        const record = await table.store.get('c_log');
        expect(record).toMatchObject({ status: 'queued', version: 1 });
        expect(record).not.toHaveProperty('callback_log');
      });

      it('keeps every delivery when several are noted at once', async () => {
        await table.store.create(queuedRecord('c_log_race'), now);

        await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            table.store.recordDelivery('c_log_race', delivery(`c_log_race.${i + 1}`, 1)),
          ),
        );

        const log = await table.store.deliveriesOf('c_log_race');
        expect(Object.keys(log).sort()).toEqual(
          Array.from({ length: 8 }, (_, i) => `c_log_race.${i + 1}`),
        );
      });

      it('never makes a call of a delivery for a call that does not exist', async () => {
        await table.store.recordDelivery('c_log_none', delivery('c_log_none.1', 1));

        expect(await table.store.get('c_log_none')).toBeUndefined();
        expect(
          await table.store.listDue('queued', new Date(Date.UTC(2100, 0)), 100),
        ).not.toContainEqual(
          expect.objectContaining({ call_id: expect.stringContaining('c_log_none') }),
        );
      });

      it('costs one write unit a delivery, whatever the size of the call’s record', async () => {
        const big = { ...queuedRecord('c_log_big'), note: 'x'.repeat(3_000) } as CallRecord;
        await table.store.create(big, now);

        const counters = { readUnits: 0, writeUnits: 0, indexWriteUnits: 0, dynamoCalls: 0 };
        const log = new DynamoDbCallStore({
          tableName: 'calls',
          client: countingClient(
            table.clientConfig,
            { calls: 'calls', contacts: 'contacts', limits: 'limits' },
            counters,
          ),
        });

        for (let i = 1; i <= 4; i += 1) {
          await log.recordDelivery('c_log_big', delivery(`c_log_big.${i}`, 1));
        }

        expect(Object.keys(await table.store.deliveriesOf('c_log_big'))).toHaveLength(4);
        // As the engine reports them: the 3 KB record would cost 3 units each.
        expect(counters).toMatchObject({ dynamoCalls: 4, writeUnits: 4, indexWriteUnits: 0 });
      });
    });
  });

  describe('Class: DynamoDbLimitsStore', () => {
    let table: Awaited<ReturnType<typeof startCallsTable>>;
    const now = new Date();

    beforeAll(async () => {
      table = await startCallsTable(engine.start);
    });
    afterAll(() => table.close());

    it('never grants more points than remain, however many dispatchers ask at once', async () => {
      await table.limits.observe('acme', {
        observedAt: now,
        minuteLimit: 10,
        minuteRemaining: 5,
        minuteResetAt: new Date(now.getTime() + 30_000),
      });

      const outcomes = await Promise.all(
        Array.from({ length: 12 }, () => table.limits.reserve('acme', 1, now)),
      );

      expect(outcomes.filter((o) => o.granted)).toHaveLength(5);
      expect(outcomes.find((o) => !o.granted)).toMatchObject({ window: 'minute' });
    });

    it('grants every dispatcher that finds the window to roll at once, while points remain', async () => {
      // The window reset a moment ago: one dispatcher rolls it, the others take from the new one.
      await table.limits.observe('rolled', {
        observedAt: now,
        minuteLimit: 100,
        minuteRemaining: 0,
        minuteResetAt: new Date(now.getTime() - 1),
        dayLimit: 10_000,
        dayRemaining: 5_000,
        dayResetAt: new Date(now.getTime() + 3_600_000),
      });

      const outcomes = await Promise.all(
        Array.from({ length: 40 }, () => table.limits.reserve('rolled', 1, now)),
      );

      expect(outcomes.filter((o) => !o.granted)).toEqual([]);
    });
  });

  describe('Class: DynamoDbContactCapStore', () => {
    let table: Awaited<ReturnType<typeof startCallsTable>>;
    let cap: DynamoDbContactCapStore;
    const now = new Date();

    beforeAll(async () => {
      table = await startCallsTable(engine.start);
      cap = new DynamoDbContactCapStore({
        tableName: 'contacts',
        clientConfig: table.clientConfig,
        hashKey: async () => 'test-contact-hash-key',
      });
    });
    afterAll(() => table.close());

    it('admits at most the limit of distinct calls, however many arrive at once', async () => {
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) => cap.admit('79260000099', `c_${i}`, now, 3)),
      );

      expect(outcomes.filter((decision) => decision === 'added')).toHaveLength(3);
      expect(outcomes.filter((decision) => decision === 'refused')).toHaveLength(7);
    });

    it('admits a call it has admitted before, even at the limit', async () => {
      for (const id of ['c_a', 'c_b', 'c_c']) await cap.admit('79260000098', id, now, 3);

      expect(await cap.admit('79260000098', 'c_b', now, 3)).toBe('counted');
      expect(await cap.admit('79260000098', 'c_d', now, 3)).toBe('refused');
    });

    it('forgets calls older than 24 hours', async () => {
      const yesterday = new Date(now.getTime() - 86_400_000 - 1_000);
      for (const id of ['c_x', 'c_y', 'c_z']) await cap.admit('79260000097', id, yesterday, 3);

      expect(await cap.admit('79260000097', 'c_today', now, 3)).toBe('added');
    });

    it('tells a call it counts now from one it had counted, on every write path', async () => {
      // First call to a number (a put), then one with room (an update), then a repeat of each.
      const decisions = [
        await cap.admit('79260000096', 'c_1', now, 3),
        await cap.admit('79260000096', 'c_2', now, 3),
        await cap.admit('79260000096', 'c_1', now, 3),
        await cap.admit('79260000096', 'c_2', now, 3),
      ];
      expect(decisions).toEqual(['added', 'added', 'counted', 'counted']);
    });

    it('stops counting a released call, and releasing twice does nothing', async () => {
      for (const id of ['c_r1', 'c_r2', 'c_r3']) await cap.admit('79260000095', id, now, 3);

      await cap.release('79260000095', 'c_r2');
      await cap.release('79260000095', 'c_r2');

      expect((await cap.counted('79260000095', now)).map((entry) => entry.call_id).sort()).toEqual([
        'c_r1',
        'c_r3',
      ]);
      expect(await cap.admit('79260000095', 'c_r4', now, 3)).toBe('added');
      expect(await cap.admit('79260000095', 'c_r5', now, 3)).toBe('refused');
    });

    it('keeps numbers under a keyed hash: another key finds nothing', async () => {
      await cap.admit('79260000094', 'c_k', now, 3);
      const otherKey = new DynamoDbContactCapStore({
        tableName: 'contacts',
        clientConfig: table.clientConfig,
        hashKey: async () => 'another-deployment-key',
      });

      expect(await otherKey.counted('79260000094', now)).toEqual([]);
      expect(await cap.counted('79260000094', now)).toHaveLength(1);
    });
  });
});
