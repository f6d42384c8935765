import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../shared/config/load.ts';
import { getCall, postHook, waitForStatus } from '../support/http.ts';
import { startReceiver } from '../support/receiver.ts';
import { shippedConfig, startTestRuntime } from '../support/runtime.ts';
import { killAll, startRuntimeChild } from '../support/runtime-child.ts';

const CALLBACK_SECRETS = {
  'demo/callback-key': `whsec_${randomBytes(32).toString('base64')}`,
};

/** The shipped config, with status callbacks from the `callback` route to `url`. */
const rawConfigWithCallbacks = async (url: string) => {
  const raw = JSON.parse(JSON.stringify(await shippedConfig())) as {
    routes: { callback: Record<string, unknown> };
  };
  raw.routes.callback.callback_url = url;
  raw.routes.callback.callback_secret = 'demo/callback-key';
  return raw;
};

/** A receiver that refuses (503) until `accept()`, and the webhook ids it answered 2xx. */
const refusingReceiver = async () => {
  let accepting = false;
  const receiver = await startReceiver(() => (accepting ? 200 : 503));
  const ids = (ok: boolean) =>
    new Set(
      receiver.received
        .filter((r) => r.answered < 300 === ok)
        .map((r) => String(r.headers['webhook-id'])),
    );
  return {
    ...receiver,
    accept: () => {
      accepting = true;
    },
    refusedIds: () => ids(false),
    deliveredIds: () => ids(true),
  };
};

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

  it('delivers the status callbacks still waiting for a receiver across a clean restart', async () => {
    // Prepare: the receiver refuses the call's three callbacks (queued, dialing, placed).
    const receiver = await refusingReceiver();
    const config = parseConfig(await rawConfigWithCallbacks(receiver.url), 'test');
    const options = {
      dataDir,
      config,
      secrets: CALLBACK_SECRETS,
      sweepIntervalMs: 0,
      callbackBackoff: { baseMs: 1_000, maxMs: 1_000 },
    };
    try {
      const first = await startTestRuntime(options);
      try {
        const accepted = await postHook(first.bridgeUrl, 'callback', { phone: '89260000022' });
        await waitForStatus(first.bridgeUrl, String(accepted.body.call_id), 'placed');
        await vi.waitFor(() => expect(receiver.refusedIds().size).toBe(3), { timeout: 5_000 });
      } finally {
        await first.stop();
      }

      // Act
      receiver.accept();
      const second = await startTestRuntime(options);
      try {
        // Assess: each refused callback arrives, none is lost.
        await vi.waitFor(() => expect(receiver.deliveredIds()).toEqual(receiver.refusedIds()), {
          timeout: 10_000,
          interval: 50,
        });
        expect(second.simulator.calls()).toHaveLength(0);
      } finally {
        await second.stop();
      }
    } finally {
      await receiver.close();
    }
  });

  describe('killed (SIGKILL) and started again', () => {
    const children: ChildProcess[] = [];
    afterAll(() => killAll(children));

    it('delivers the status callbacks that were waiting at the kill', async () => {
      // Prepare
      const receiver = await refusingReceiver();
      const dir = await mkdtemp(join(tmpdir(), 'callhook-kill-'));
      const plan = {
        dataDir: join(dir, 'data'),
        config: await rawConfigWithCallbacks(receiver.url),
        secrets: CALLBACK_SECRETS,
        sweepIntervalMs: 0,
        callbackBackoff: { baseMs: 1_000, maxMs: 1_000 },
        queue: { visibilityTimeoutMs: 1_000 },
      };
      try {
        const first = await startRuntimeChild(dir, plan, children);
        const accepted = await postHook(first.bridgeUrl, 'callback', { phone: '89260000023' });
        await waitForStatus(first.bridgeUrl, String(accepted.body.call_id), 'placed');
        await vi.waitFor(() => expect(receiver.refusedIds().size).toBe(3), { timeout: 5_000 });
        await first.kill();

        // Act
        receiver.accept();
        const second = await startRuntimeChild(dir, plan, children);

        // Assess
        await vi.waitFor(() => expect(receiver.deliveredIds()).toEqual(receiver.refusedIds()), {
          timeout: 10_000,
          interval: 50,
        });
        await second.stop();
      } finally {
        await receiver.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
