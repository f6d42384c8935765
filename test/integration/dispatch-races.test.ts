import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createDeadLetterHandler } from '../../functions/dead-letter/handler.ts';
import { createDispatchHandler } from '../../functions/dispatch/handler.ts';
import { lambdaContext } from '../../infra/local/lambda-context.ts';
import { toDeadLetterRecord } from '../../infra/local/sweep-timer.ts';
import { InProcessQueue } from '../../shared/adapters/local/in-process-queue.ts';
import type { CallStore } from '../../shared/calls/call-store.ts';
import { cancelCall } from '../../shared/dispatch/operator-actions.ts';
import { sweep } from '../../shared/dispatch/sweep.ts';
import { SWEEP_TIMING } from '../../shared/dispatch/sweep-timing.ts';
import { ProblemError } from '../../shared/http/problem-error.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import {
  dispatchConfig,
  dispatchFixtureForSuite,
  keySecrets,
  queuedRecord,
  recordingQueue,
  sqsEvent,
} from '../support/dispatch.ts';

const secrets = keySecrets;

describe('Dispatch against concurrent operators and failing storage', () => {
  const fixture = dispatchFixtureForSuite();

  const deps = (store: CallStore = fixture.table.store) => {
    const { queue } = recordingQueue();
    return {
      config: dispatchConfig(fixture.simulator.url),
      store,
      limits: fixture.table.limits,
      queue,
      connection: { secrets },
      logger: createLogger('race-test'),
      now: () => new Date(),
      timing: SWEEP_TIMING,
    };
  };

  it('lets exactly one of cancel and dispatch win, 100 times over', async () => {
    fixture.simulator.reset();
    const dispatch = createDispatchHandler(deps());
    const ids = Array.from({ length: 100 }, (_, i) => `c_race_${i}`);
    for (const id of ids) await fixture.table.store.create(queuedRecord(id), new Date());

    // One race at a time. In one in ten the cancel comes first, in one in ten the dispatch
    // does, so both outcomes are certain to be checked; in the rest the cancel starts 1–8 ms
    // after the dispatch and races its claim.
    const cancel = (id: string) => cancelCall(deps(), id, { requestId: `r-${id}` });
    const dispatchOne = (id: string) => dispatch(sqsEvent(id), lambdaContext('dispatch'));
    const cancels: PromiseSettledResult<unknown>[] = [];
    for (const [i, id] of ids.entries()) {
      const offset = i % 10;
      if (offset === 0) {
        cancels.push(...(await Promise.allSettled([cancel(id)])));
        await dispatchOne(id);
        continue;
      }
      if (offset === 9) {
        await dispatchOne(id);
        cancels.push(...(await Promise.allSettled([cancel(id)])));
        continue;
      }
      const [, raced] = await Promise.allSettled([
        dispatchOne(id),
        sleep(offset).then(() => cancel(id)),
      ]);
      cancels.push(raced);
    }

    const dialled = new Set(fixture.simulator.calls().map((call) => call.params.external_id));
    const outcomes = { cancelled: 0, placed: 0 };
    for (const [i, id] of ids.entries()) {
      const record = await fixture.table.store.get(id);
      const cancel = cancels[i];
      const placedAt = record?.history.find((entry) => entry.status === 'placed')?.at;
      if (record?.status === 'cancelled' && placedAt === undefined) {
        // Cancel won: the call was never sent.
        outcomes.cancelled += 1;
        expect(dialled.has(id)).toBe(false);
        expect(cancel?.status).toBe('fulfilled');
      } else {
        // Dispatch claimed first: the cancel was refused, or it hung up the placed call.
        outcomes.placed += 1;
        expect(dialled.has(id)).toBe(true);
        if (cancel?.status === 'rejected') {
          expect(cancel.reason).toBeInstanceOf(ProblemError);
          expect(cancel.reason).toMatchObject({ code: 'not_cancellable' });
          expect(record?.status).toBe('placed');
        } else {
          // Hung up: `cancelled` with the hang-up noted, or `completed` had it been answered.
          expect(placedAt).toBeDefined();
          expect(record?.history.at(-1)?.reason ?? '').toMatch(/hung up|rang/);
          expect(['cancelled', 'completed']).toContain(record?.status);
        }
      }
    }
    expect(outcomes.cancelled + outcomes.placed).toBe(100);
    // Both sides won some races, so both branches above were checked.
    expect(outcomes.cancelled).toBeGreaterThan(0);
    expect(outcomes.placed).toBeGreaterThan(0);
    expect(fixture.simulator.calls()).toHaveLength(outcomes.placed);
  });

  it('marks the call failed when its message keeps failing into the dead-letter queue', async () => {
    await fixture.table.store.create(queuedRecord('c_poison'), new Date());
    const broken: CallStore = {
      create: (record, now) => fixture.table.store.create(record, now),
      get: async () => {
        throw new Error('DynamoDB unavailable');
      },
      update: (id, decide, known) => fixture.table.store.update(id, decide, known),
      listDue: (status, before, limit) => fixture.table.store.listDue(status, before, limit),
      list: (query) => fixture.table.store.list(query),
      findBySession: (key) => fixture.table.store.findBySession(key),
    };
    const queue = new InProcessQueue({ visibilityTimeoutMs: 5, maxReceives: 3 });
    const dispatch = createDispatchHandler({ ...deps(broken), queue });
    const deadLetter = createDeadLetterHandler({
      store: fixture.table.store,
      logger: createLogger('dead-letter-test'),
      now: () => new Date(),
    });
    const deadLettered = new Promise<void>((resolve) => {
      queue.once('dead-letter', (message) => {
        void deadLetter(
          { Records: [toDeadLetterRecord(message)] },
          lambdaContext('dead-letter'),
        ).then(() => resolve());
      });
    });

    queue.start((event) => dispatch(event, lambdaContext('dispatch')));
    await queue.send({ call_id: 'c_poison' });
    await deadLettered;
    await queue.stop();

    expect(await fixture.table.store.get('c_poison')).toMatchObject({
      status: 'failed',
      error: { reason: 'dead_lettered' },
    });
    expect(queue.deadLetters).toHaveLength(1);
  });

  it('releases a due call once when two sweepers run at the same time', async () => {
    const due = new Date(Date.now() - 1_000).toISOString();
    await fixture.table.store.create(
      { ...queuedRecord('c_swept'), status: 'scheduled', due_at: due, sweep_at: due },
      new Date(),
    );
    const { queue, sent } = recordingQueue();
    const sweepDeps = { ...deps(), queue };

    const reports = await Promise.all([sweep(sweepDeps), sweep(sweepDeps)]);

    expect(reports.map((r) => r.released).sort()).toEqual([0, 1]);
    expect(sent.map((s) => s.message)).toEqual([{ call_id: 'c_swept' }]);
    expect((await fixture.table.store.get('c_swept'))?.status).toBe('queued');
  });
});
