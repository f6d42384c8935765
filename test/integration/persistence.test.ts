import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCall, postHook, waitForStatus } from '../support/http.ts';
import { startTestRuntime } from '../support/runtime.ts';

describe('Local runtime with CALLHOOK_DATA_DIR', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'callhook-data-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps calls across a restart and dispatches a call that was still queued', async () => {
    // Prepare: accept a call while dispatch is stalled, then stop with the call still queued.
    const first = await startTestRuntime({ dataDir, queue: { concurrency: 0 } });
    const accepted = await postHook(first.bridgeUrl, 'callback', { phone: '89260000021' });
    expect((await getCall(first.bridgeUrl, String(accepted.body.call_id))).body.status).toBe(
      'queued',
    );
    await first.stop();

    // Act
    const second = await startTestRuntime({ dataDir });
    try {
      // Assess
      await waitForStatus(second.bridgeUrl, String(accepted.body.call_id), 'placed');
      expect(second.simulator.calls()).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });
});
