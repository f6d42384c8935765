import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CALLS_BY_SWEEP, TABLES } from '../../shared/adapters/dynamodb/tables.ts';
import { dropIndexEntries, indexEntriesOf, putIndexEntries } from '../support/dynalite-index.ts';
import { getCall, postCallAction, postHook } from '../support/http.ts';
import { writeRawFields } from '../support/raw-record.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const TABLE = TABLES.calls.defaultName;
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

/** Accepts a webhook while dispatch is stalled: the call stays `queued`. */
const acceptQueued = async (rt: TestRuntime, phone: string): Promise<string> => {
  const answer = await postHook(rt.bridgeUrl, 'callback', { phone });
  expect(answer.status).toBe(202);
  return String(answer.body.call_id);
};

/** What a dispatcher's claim writes, for a dispatcher that then died (or still holds it). */
const claim = async (
  rt: TestRuntime,
  callId: string,
  leaseExpiresAt: string,
  options: { withSweepAt: boolean },
) => {
  // Written raw: a claim without `sweep_at` is what an older callhook (or a lost index entry)
  // left, which no transition of today's writes.
  await writeRawFields(
    rt.dynamoClientConfig,
    callId,
    {
      status: 'dialing',
      attempts: 1,
      lease_owner: `dispatcher-of-${callId}`,
      lease_expires_at: leaseExpiresAt,
      ...(options.withSweepAt && { sweep_at: leaseExpiresAt }),
    },
    options.withSweepAt ? [] : ['sweep_at'],
  );
  expect((await rt.store.get(callId))?.status).toBe('dialing');
};

describe('Calls left `dialing` by a kill', () => {
  describe('start-up on CALLHOOK_DATA_DIR', () => {
    let dataDir: string;
    /** Every runtime a test starts; each is stopped at most once, the rest after the test. */
    const running = new Set<TestRuntime>();
    const start = async (options: Parameters<typeof startTestRuntime>[0]) => {
      const rt = await startTestRuntime({ dataDir, sweepIntervalMs: 0, ...options });
      running.add(rt);
      return rt;
    };
    const stop = async (rt: TestRuntime) => {
      running.delete(rt);
      await rt.stop();
    };
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'callhook-stranded-'));
    });
    afterEach(async () => {
      for (const rt of [...running]) await stop(rt);
    });
    afterAll(() => rm(dataDir, { recursive: true, force: true }));

    it('puts a dialing call with an expired lease and no by-sweep entry back where the sweeper finds it', async () => {
      // Prepare: one record as a kill between dynalite's index delete and its item write leaves
      // it (sweep_at set, entry gone), one whose sweep_at is missing altogether.
      const first = await start({ queue: { concurrency: 0 } });
      const lostEntry = await acceptQueued(first, '+79260000031');
      const noSweepAt = await acceptQueued(first, '+79260000032');
      await claim(first, lostEntry, iso(-1_000), { withSweepAt: true });
      await claim(first, noSweepAt, iso(-1_000), { withSweepAt: false });
      await stop(first);
      expect(await dropIndexEntries(dataDir, TABLE, CALLS_BY_SWEEP, lostEntry)).toHaveLength(1);
      expect(await indexEntriesOf(dataDir, TABLE, CALLS_BY_SWEEP, noSweepAt)).toHaveLength(0);

      // Act
      const runtime = await start({});
      const report = await runtime.sweep();

      // Assess: the sweeper handled both as it handles any expired lease, and dialled nothing.
      expect(report.abandoned).toBe(2);
      for (const callId of [lostEntry, noSweepAt]) {
        const { body } = await getCall(runtime.bridgeUrl, callId);
        expect(body).toMatchObject({ status: 'unknown', error: { reason: 'lease_expired' } });
      }
      expect(runtime.simulator.calls()).toHaveLength(0);
    });

    it('leaves a live lease alone although a stale by-sweep entry says it expired', async () => {
      // Prepare: the entry of an earlier, expired claim survives beside the record's newer,
      // live claim (a kill after dynalite's index put, then a new claim).
      const first = await start({ queue: { concurrency: 0 } });
      const callId = await acceptQueued(first, '+79260000033');
      await claim(first, callId, iso(-1_000), { withSweepAt: true });
      await stop(first);
      const stale = await indexEntriesOf(dataDir, TABLE, CALLS_BY_SWEEP, callId);
      expect(stale).toHaveLength(1);
      const second = await start({ queue: { concurrency: 0 } });
      const live = iso(600_000);
      await writeRawFields(second.dynamoClientConfig, callId, {
        lease_owner: 'live-dispatcher',
        lease_expires_at: live,
        sweep_at: live,
      });
      await stop(second);
      await putIndexEntries(dataDir, stale);

      // Act
      const runtime = await start({ queue: { concurrency: 0 } });
      const report = await runtime.sweep();

      // Assess
      expect(report.abandoned).toBe(0);
      expect(await runtime.store.get(callId)).toMatchObject({
        status: 'dialing',
        lease_owner: 'live-dispatcher',
        lease_expires_at: live,
      });
    });
  });

  describe('POST /calls/{call_id}/abandon', () => {
    let runtime: TestRuntime;
    beforeAll(async () => {
      runtime = await startTestRuntime({ queue: { concurrency: 0 }, sweepIntervalMs: 0 });
    });
    afterAll(() => runtime.stop());

    it('turns a dialing call whose lease expired into unknown, after which retry sends it again', async () => {
      // Prepare: a lease the sweeper cannot see (no sweep_at, so no by-sweep entry).
      const callId = await acceptQueued(runtime, '+79260000034');
      await claim(runtime, callId, iso(-1_000), { withSweepAt: false });
      const retryBefore = await postCallAction(runtime.bridgeUrl, callId, 'retry');

      // Act
      const abandoned = await postCallAction(runtime.bridgeUrl, callId, 'abandon');
      const retried = await postCallAction(runtime.bridgeUrl, callId, 'retry');

      // Assess
      expect(retryBefore).toMatchObject({ status: 409, body: { code: 'not_retryable' } });
      expect(abandoned).toMatchObject({
        status: 200,
        body: { call_id: callId, status: 'unknown', error: { reason: 'lease_expired' } },
      });
      expect(abandoned.body.history).toContainEqual(
        expect.objectContaining({
          status: 'unknown',
          reason: expect.stringMatching(/^lease_expired: abandoned by an operator \(request .+\)$/),
        }),
      );
      expect(retried).toMatchObject({ status: 200, body: { status: 'queued' } });
      const record = await runtime.store.get(callId);
      expect(record?.lease_owner).toBeUndefined();
    });

    it('refuses a call whose lease is still live with 409 not_abandonable, and changes nothing', async () => {
      const callId = await acceptQueued(runtime, '+79260000035');
      const live = iso(600_000);
      await claim(runtime, callId, live, { withSweepAt: true });
      const before = await runtime.store.get(callId);

      const answer = await postCallAction(runtime.bridgeUrl, callId, 'abandon');

      expect(answer.status).toBe(409);
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
      expect(answer.body).toMatchObject({
        code: 'not_abandonable',
        call_id: callId,
        call_status: 'dialing',
        lease_expires_at: live,
      });
      expect(await runtime.store.get(callId)).toEqual(before);
    });

    it('refuses a call that is not dialing with 409 not_abandonable', async () => {
      const callId = await acceptQueued(runtime, '+79260000036');

      const answer = await postCallAction(runtime.bridgeUrl, callId, 'abandon');
      const missing = await postCallAction(runtime.bridgeUrl, 'c_nothing', 'abandon');

      expect(answer).toMatchObject({
        status: 409,
        body: { code: 'not_abandonable', call_status: 'queued' },
      });
      expect(missing).toMatchObject({ status: 404, body: { code: 'call_not_found' } });
    });
  });
});
