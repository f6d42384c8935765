import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../shared/calls/call-record.ts';
import { SWEEP_TIMING } from '../../shared/dispatch/sweep-timing.ts';
import { postCallAction, postHook, waitForStatus } from '../support/http.ts';
import { queueIdle, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** A grace period for lost queue messages that is not the default one. */
const GRACE_MS = 7 * 60_000;

/** How far past the record's last change its next sweep is. */
const sweepAfterLastChange = (record: CallRecord | undefined): number =>
  Date.parse(record?.sweep_at ?? '') - Date.parse(record?.updated_at ?? '');

/**
 * The runtime's timings reach every writer of `sweep_at`: the record ingest stores and the one
 * an operator's retry writes wait the runtime's grace period for their queue message, not the
 * module's default.
 */
describe('Timings injected into ingest and retry', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    expect(GRACE_MS).not.toBe(SWEEP_TIMING.lostMessageGraceMs);
    rt = await startTestRuntime({
      sweepIntervalMs: 0,
      timing: { ...SWEEP_TIMING, lostMessageGraceMs: GRACE_MS },
    });
  });
  afterAll(() => rt.stop());

  const accept = async (key: string, phone: string): Promise<string> => {
    const answer = await postHook(
      rt.bridgeUrl,
      'callback',
      { phone },
      { headers: { 'idempotency-key': key } },
    );
    expect(answer.status).toBe(202);
    return String(answer.body.call_id);
  };

  it('gives the record ingest stores, and the one a retry writes, the runtime grace period', async () => {
    // Prepare: a call whose reply was lost (unknown, for an operator to retry), then no
    // dispatcher, so that each record stays as it was written.
    rt.simulator.injectFault({
      fault: { mode: 'drop_after' },
      method: 'start.simple_call',
      times: 1,
    });
    const lost = await accept('timing-lost', '+79260000011');
    await waitForStatus(rt.bridgeUrl, lost, 'unknown');
    await queueIdle(rt.queue);
    await rt.queue.stop();

    // Act
    const accepted = await accept('timing-new', '+79260000012');
    const retry = await postCallAction(rt.bridgeUrl, lost, 'retry');

    // Assess
    const stored = await rt.store.get(accepted);
    expect(stored?.status).toBe('queued');
    expect(sweepAfterLastChange(stored)).toBe(GRACE_MS);
    expect(retry.status).toBe(200);
    const retried = await rt.store.get(lost);
    expect(retried?.status).toBe('queued');
    expect(retried?.history.at(-1)?.reason).toMatch(/^retry requested by an operator/);
    expect(sweepAfterLastChange(retried)).toBe(GRACE_MS);
  });
});
