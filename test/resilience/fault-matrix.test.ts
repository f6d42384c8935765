import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fault } from '../../infra/local/simulator/simulator.ts';
import { getCall, postHook } from '../support/http.ts';
import { queueIdle, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

interface Row {
  name: string;
  fault: Fault | undefined;
  /** Exact outcomes for 5 events, each delivered 3 times at once, when one request fails. */
  placed: number;
  unknown: number;
  /** Calls the provider actually created. */
  dialled: number;
}

const MATRIX: Row[] = [
  { name: 'no fault', fault: undefined, placed: 5, unknown: 0, dialled: 5 },
  { name: 'delay', fault: { mode: 'delay', ms: 150 }, placed: 5, unknown: 0, dialled: 5 },
  // Sent and not answered: the call may exist, so it is never sent again by itself.
  { name: 'http_502', fault: { mode: 'http_502' }, placed: 4, unknown: 1, dialled: 4 },
  { name: 'internal_error', fault: { mode: 'internal_error' }, placed: 4, unknown: 1, dialled: 4 },
  { name: 'drop_before', fault: { mode: 'drop_before' }, placed: 4, unknown: 1, dialled: 4 },
  // The call was created: the sweeper finds it in list.calls, so it ends placed.
  { name: 'drop_after', fault: { mode: 'drop_after' }, placed: 5, unknown: 0, dialled: 5 },
];

describe('Resilience: the fault matrix, counted exactly', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime({
      sweepIntervalMs: 0,
      timing: {
        lostMessageGraceMs: 60_000,
        reconcileAfterMs: 0,
        maxReconciliations: 3,
        pollAfterMs: 0,
      },
    });
  });
  afterAll(() => runtime.stop());

  it.each(MATRIX)('$name: placed $placed, unknown $unknown, dialled $dialled', async (row) => {
    runtime.simulator.reset();
    if (row.fault !== undefined) {
      runtime.simulator.injectFault({ fault: row.fault, method: 'start.simple_call', times: 1 });
    }
    const tag = row.name.replace(' ', '-');
    const events = Array.from({ length: 5 }, (_, i) => ({
      phone: `+7926200${String(MATRIX.indexOf(row)).padStart(2, '0')}${i}0`,
      key: `${tag}-${i}`,
    }));

    const answers = await Promise.all(
      events.flatMap((event) =>
        Array.from({ length: 3 }, () =>
          postHook(
            runtime.bridgeUrl,
            'callback',
            { phone: event.phone },
            {
              headers: { 'idempotency-key': event.key },
            },
          ),
        ),
      ),
    );
    await queueIdle(runtime.queue);
    await runtime.sweep();
    await queueIdle(runtime.queue);

    const ids = [...new Set(answers.map((a) => String(a.body.call_id)))];
    expect(ids).toHaveLength(5);
    expect(answers.filter((a) => a.status === 202)).toHaveLength(5);
    const statuses = await Promise.all(
      ids.map(async (id) => String((await getCall(runtime.bridgeUrl, id)).body.status)),
    );
    const count = (status: string) => statuses.filter((s) => s === status).length;
    const dialledPerCall = ids.map(
      (id) => runtime.simulator.calls().filter((c) => c.params.external_id === id).length,
    );

    expect({ placed: count('placed'), unknown: count('unknown') }).toEqual({
      placed: row.placed,
      unknown: row.unknown,
    });
    // Lost: accepted and left waiting. Duplicated: dialled more than once.
    expect(statuses.filter((s) => s === 'queued' || s === 'dialing')).toHaveLength(0);
    expect(dialledPerCall.filter((n) => n > 1)).toHaveLength(0);
    expect(runtime.simulator.calls()).toHaveLength(row.dialled);
  });
});
