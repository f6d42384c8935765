import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { InProcessQueue } from '../../shared/adapters/local/in-process-queue.ts';
import { killAll } from '../support/runtime-child.ts';
import { readUntil } from '../support/spawn-main.ts';

interface Receipt {
  callId: string;
  receiveCount: number;
  sentAt: number;
  at: number;
}

/** Starts test/support/queue-process.ts on `dir` and waits for `marker` on its stdout. */
const holder = async (dir: string, plan: Record<string, unknown>, marker: string) => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/support/queue-process.ts', dir, JSON.stringify(plan)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  await readUntil(child, marker);
  return child;
};

const kill9 = async (child: ChildProcess) => {
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
};

const children: ChildProcess[] = [];

describe('Class: InProcessQueue, persistent (CALLHOOK_DATA_DIR)', () => {
  let root: string;
  let queue: InProcessQueue | undefined;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'callhook-queue-'));
  });
  afterEach(async () => {
    await queue?.stop();
    queue = undefined;
    await killAll(children);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  /** Opens the folder again and records every delivery, answering each with success. */
  const reopen = async (dir: string, options: { visibilityTimeoutMs?: number } = {}) => {
    const receipts: Receipt[] = [];
    queue = await InProcessQueue.persistent(dir, options);
    const opened = Date.now();
    queue.start(async (event: SQSEvent) => {
      for (const record of event.Records) {
        receipts.push({
          callId: JSON.parse(record.body).call_id,
          receiveCount: Number(record.attributes.ApproximateReceiveCount),
          sentAt: Number(record.attributes.SentTimestamp),
          at: Date.now(),
        });
      }
      return { batchItemFailures: [] };
    });
    return { receipts, opened, queue };
  };

  it('delivers after a kill -9 every message sent before it, each delay kept', async () => {
    // Prepare
    const dir = join(root, 'kill-sent');
    await kill9(await holder(dir, { count: 6, delaySeconds: 1 }, 'sent'));

    // Act
    const { receipts } = await reopen(dir);

    // Assess
    await vi.waitFor(() => expect(receipts).toHaveLength(6), { timeout: 5_000, interval: 20 });
    expect(receipts.map((r) => r.callId).sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    expect(receipts.every((r) => r.receiveCount === 1)).toBe(true);
    for (const delayed of receipts.filter((r) => ['m1', 'm3', 'm5'].includes(r.callId))) {
      expect(delayed.at - delayed.sentAt).toBeGreaterThanOrEqual(1_000);
    }
    await vi.waitFor(async () => expect(await readdir(dir)).toEqual([]), { timeout: 2_000 });
  });

  it('keeps the receive count and the visibility timeout of messages a killed consumer held', async () => {
    // Prepare: the consumer received all five and died before answering.
    const dir = join(root, 'kill-held');
    const child = await holder(
      dir,
      { count: 5, hold: true, visibilityTimeoutMs: 1_500 },
      'received 5',
    );
    const receivedAt = Date.now();
    await kill9(child);

    // Act
    const { receipts } = await reopen(dir, { visibilityTimeoutMs: 1_500 });

    // Assess: delivered again, as the second receive, once the timeout ran out.
    await vi.waitFor(() => expect(receipts).toHaveLength(5), { timeout: 5_000, interval: 20 });
    expect(receipts.every((r) => r.receiveCount === 2)).toBe(true);
    expect(Math.min(...receipts.map((r) => r.at)) - receivedAt).toBeGreaterThanOrEqual(1_400);
  });

  it('dead-letters after a restart a message that used up its receives before it', async () => {
    // Prepare
    const dir = join(root, 'kill-poison');
    const child = await holder(
      dir,
      { count: 1, hold: true, visibilityTimeoutMs: 100, maxReceives: 1 },
      'received 1',
    );
    await kill9(child);

    // Act
    queue = await InProcessQueue.persistent(dir, { visibilityTimeoutMs: 100, maxReceives: 1 });
    const deadLetter = once(queue, 'dead-letter');
    const consumed: string[] = [];
    queue.start(async (event) => {
      consumed.push(...event.Records.map((r) => r.body));
      return { batchItemFailures: [] };
    });
    const [dead] = await deadLetter;

    // Assess
    expect(dead).toMatchObject({ body: '{"call_id":"m0"}', receiveCount: 1 });
    expect(consumed).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('forgets acknowledged messages, keeps the rest over a clean stop, and ignores a torn write', async () => {
    // Prepare: one message acknowledged, one refused until it is given up on after the restart.
    const dir = join(root, 'clean');
    const first = await InProcessQueue.persistent(dir, { visibilityTimeoutMs: 60_000 });
    const seen: string[] = [];
    first.start(async (event) => {
      seen.push(...event.Records.map((r) => JSON.parse(r.body).call_id));
      return {
        batchItemFailures: event.Records.filter((r) => r.body.includes('refused')).map((r) => ({
          itemIdentifier: r.messageId,
        })),
      };
    });
    await first.send({ call_id: 'acknowledged' });
    await first.send({ call_id: 'refused' });
    await vi.waitFor(() => expect(seen.sort()).toEqual(['acknowledged', 'refused']), {
      timeout: 2_000,
      interval: 10,
    });
    await first.stop();
    await writeFile(join(dir, 'torn.json.tmp'), '{"id":"torn","bo');

    // Act
    const { receipts, queue: second } = await reopen(dir, { visibilityTimeoutMs: 60_000 });

    // Assess: only the refused one is there, invisible until its timeout (not yet run out).
    expect(second.depth).toBe(1);
    expect(receipts).toEqual([]);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
