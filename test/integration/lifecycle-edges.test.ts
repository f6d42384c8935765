import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../infra/local/simulator/simulator.ts';
import type { CallRecord } from '../../shared/calls/call-record.ts';
import type { CallStore } from '../../shared/calls/call-store.ts';
import { change } from '../../shared/calls/lifecycle.ts';
import { parseConfig } from '../../shared/config/load.ts';
import { markDeadLettered } from '../../shared/dispatch/dead-letter.ts';
import { cancelCall } from '../../shared/dispatch/operator-actions.ts';
import { sweep } from '../../shared/dispatch/sweep.ts';
import { SWEEP_TIMING } from '../../shared/dispatch/sweep-timing.ts';
import { recordProviderEvent } from '../../shared/events/record-provider-event.ts';
import { ProblemError } from '../../shared/http/problem-error.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { keySecrets, queuedRecord, startCallsTable } from '../support/dispatch.ts';

const MINUTE = 60_000;

const config = (url: string, options: { dataApi: boolean }) =>
  parseConfig(
    {
      accounts: {
        acme: {
          base_url: url,
          secret: 'acme/callapi',
          virtual_phone_number: '74993720692',
          ...(options.dataApi && { data_api: { secret: 'acme/dataapi', base_url: url } }),
        },
      },
      routes: {
        callback: {
          account: 'acme',
          auth: { type: 'token', secret: 'acme/hook' },
          call: {
            method: 'start.simple_call',
            contact: 'phone',
            params: { first_call: 'operator', operator: '74951234567' },
          },
          ...(options.dataApi && { redial: { on: ['no_answer'], max: 2, after_minutes: 1 } }),
        },
      },
    },
    'lifecycle edges',
  );

/**
 * Where lifecycle features meet at their edges, found by a review of the lifecycle: each case a
 * sequence that once made the sweeper ask at every sweep, left a call waiting forever, let
 * another session's word take over an attempt, or answered a cancel that could not be kept.
 */
describe('The lifecycle at its edges', () => {
  let table: Awaited<ReturnType<typeof startCallsTable>>;
  let simulator: RunningSimulator;
  const clock = { ms: Date.parse('2026-12-07T10:00:00.000Z') };
  beforeAll(async () => {
    table = await startCallsTable();
    simulator = await startSimulator({
      keys: { key: 'valid' },
      virtualNumbers: ['74993720692'],
      now: () => clock.ms,
      dataApi: { keys: { key: 'valid' } },
    });
  });
  afterAll(async () => {
    await simulator.close();
    await table.close();
  });

  const deps = (options: { store?: CallStore; dataApi?: boolean } = {}) => ({
    config: config(simulator.url, { dataApi: options.dataApi ?? true }),
    store: options.store ?? table.store,
    limits: table.limits,
    queue: { send: async () => {} },
    connection: { secrets: keySecrets },
    logger: createLogger('lifecycle-edges'),
    now: () => new Date(clock.ms),
    timing: { ...SWEEP_TIMING, outcomeAfterMs: MINUTE },
  });
  const at = (ms: number) => new Date(ms).toISOString();
  let serial = 0;
  /** A call placed four minutes ago, as `over` leaves it. */
  const stored = async (over: Partial<CallRecord>): Promise<string> => {
    serial += 1;
    const id = `c_ed6e${String(serial).padStart(28, '0')}`;
    await table.store.create(
      {
        ...queuedRecord(id, 2),
        created_at: at(clock.ms - 5 * MINUTE),
        updated_at: at(clock.ms),
        expires_at: Math.floor(clock.ms / 1000) + 86_400,
        history: [
          { status: 'queued', at: at(clock.ms - 5 * MINUTE) },
          { status: 'dialing', at: at(clock.ms - 4 * MINUTE) },
          { status: 'placed', at: at(clock.ms - 4 * MINUTE) },
        ],
        ...over,
      },
      new Date(clock.ms),
    );
    return id;
  };

  it('waits before looking again at the report of a completed call the report does not show yet', async () => {
    const id = await stored({
      status: 'completed',
      call_session_id: 424_242,
      session_key: 'acme#424242',
      outcome: {
        answered: false,
        ended_at: at(clock.ms - 2 * MINUTE),
        reported_by: 'notification',
      },
      sweep_at: at(clock.ms - 1_000),
    });
    const before = simulator.requestCount('get.calls_report');

    await sweep(deps());
    const moved = (await table.store.get(id))?.sweep_at;
    clock.ms += 1_000;
    await sweep(deps());

    expect(simulator.requestCount('get.calls_report') - before).toBe(1);
    expect(moved !== undefined && moved > at(clock.ms)).toBe(true);
    expect(await table.store.get(id)).toMatchObject({ status: 'completed', sweep_at: moved });
  });

  it('completes a call whose end was notified once its account has no report to wait for', async () => {
    const id = await stored({
      status: 'placed',
      call_session_id: 515_151,
      session_key: 'acme#515151',
      outcome: {
        answered: false,
        ended_at: at(clock.ms - 2 * MINUTE),
        reported_by: 'notification',
      },
      sweep_at: at(clock.ms - 1_000),
    });

    await sweep(deps({ dataApi: false }));

    const after = await table.store.get(id);
    expect(after?.status).toBe('completed');
    expect(after?.sweep_at).toBeUndefined();
  });

  it("keeps the attempt's own session when another session's event crosses its placement", async () => {
    const id = await stored({
      status: 'dialing',
      attempts: 1,
      lease_owner: 'dispatcher',
      lease_expires_at: at(clock.ms + MINUTE),
      sweep_at: at(clock.ms + MINUTE),
      history: [
        { status: 'queued', at: at(clock.ms - MINUTE) },
        { status: 'dialing', at: at(clock.ms) },
      ],
    });
    let placedFirst = false;
    // The dispatcher's write of session 111 lands between the event's read and its write.
    const racing: CallStore = {
      ...table.store,
      get: (callId) => table.store.get(callId),
      create: (record, now) => table.store.create(record, now),
      listDue: (...args) => table.store.listDue(...args),
      list: (query) => table.store.list(query),
      findBySession: (key) => table.store.findBySession(key),
      update: async (callId, decide, known) => {
        if (!placedFirst) {
          placedFirst = true;
          await table.store.update(callId, () =>
            change('place', new Date(clock.ms), {
              set: { backend_id: '111', call_session_id: 111, session_key: 'acme#111' },
            }),
          );
        }
        return table.store.update(callId, decide, known);
      },
    };

    await recordProviderEvent(deps({ store: racing }), 'acme', {
      event: 'ended',
      external_id: id,
      call_session_id: 999,
    });

    expect(placedFirst).toBe(true);
    expect(await table.store.get(id)).toMatchObject({
      status: 'placed',
      call_session_id: 111,
      session_key: 'acme#111',
    });
  });

  it('refuses to cancel a queued call whose last send may have reached an idempotent backend', async () => {
    const id = await stored({
      status: 'queued',
      sweep_at: at(clock.ms + MINUTE),
      dials: [{ attempt: 1, maybe_sent: true }],
    });

    const refused = await cancelCall(deps(), id, { requestId: 'r-maybe' }).catch(
      (error: unknown) => error,
    );

    expect(refused).toBeInstanceOf(ProblemError);
    expect(refused).toMatchObject({ code: 'not_cancellable' });
    expect((await table.store.get(id))?.status).toBe('queued');
  });

  it('lets a late dead letter fail only a call waiting for its message, never a scheduled redial', async () => {
    const id = await stored({
      status: 'scheduled',
      attempt: 2,
      redials: 1,
      due_at: at(clock.ms + MINUTE),
      sweep_at: at(clock.ms + MINUTE),
    });

    await markDeadLettered(deps(), id);

    expect((await table.store.get(id))?.status).toBe('scheduled');
  });
});
