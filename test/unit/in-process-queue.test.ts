import { once } from 'node:events';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InProcessQueue } from '../../shared/adapters/local/in-process-queue.ts';

describe('Class: InProcessQueue', () => {
  let queue: InProcessQueue;
  afterEach(() => queue.stop());

  const bodiesOf = (event: SQSEvent) => event.Records.map((r) => JSON.parse(r.body).call_id);

  it('delivers each message to the consumer and deletes it on success', async () => {
    queue = new InProcessQueue();
    const seen: string[] = [];
    queue.start(async (event) => {
      seen.push(...bodiesOf(event));
      return { batchItemFailures: [] };
    });

    await queue.send({ call_id: 'a' });
    await queue.send({ call_id: 'b' });
    await once(queue, 'idle');

    expect(seen.sort()).toEqual(['a', 'b']);
    expect(queue.depth).toBe(0);
  });

  it('delivers again only the messages a partial batch response lists', async () => {
    queue = new InProcessQueue({ visibilityTimeoutMs: 1, batchSize: 10, concurrency: 1 });
    const receipts: string[] = [];
    queue.start(async (event) => {
      receipts.push(
        ...event.Records.map(
          (r) => `${JSON.parse(r.body).call_id}#${r.attributes.ApproximateReceiveCount}`,
        ),
      );
      const retry = event.Records.filter(
        (r) =>
          JSON.parse(r.body).call_id === 'retry-me' && r.attributes.ApproximateReceiveCount === '1',
      );
      return { batchItemFailures: retry.map((r) => ({ itemIdentifier: r.messageId })) };
    });

    await queue.send({ call_id: 'ok' });
    await queue.send({ call_id: 'retry-me' });
    await once(queue, 'idle');

    expect(receipts.sort()).toEqual(['ok#1', 'retry-me#1', 'retry-me#2']);
  });

  it('keeps the whole batch when the consumer throws', async () => {
    queue = new InProcessQueue({ visibilityTimeoutMs: 1, concurrency: 1 });
    let calls = 0;
    queue.start(async (event) => {
      calls += 1;
      if (calls === 1) throw new Error('crashed');
      expect(bodiesOf(event)).toEqual(['a']);
      return undefined;
    });

    await queue.send({ call_id: 'a' });
    await once(queue, 'idle');

    expect(calls).toBe(2);
  });

  it('hides a received message for the visibility timeout', async () => {
    queue = new InProcessQueue({ visibilityTimeoutMs: 60_000 });
    const failed = once(queue, 'consumer-error');
    queue.start(async () => {
      throw new Error('crashed');
    });

    await queue.send({ call_id: 'a' });
    await failed;

    // Still stored, but invisible: nothing re-delivers it within the minute.
    expect(queue.depth).toBe(1);
  });

  it('moves a message to the dead letters after maxReceives failed receives', async () => {
    queue = new InProcessQueue({ visibilityTimeoutMs: 1, maxReceives: 3 });
    let receives = 0;
    queue.start(async (event) => {
      receives += 1;
      return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
    });

    await queue.send({ call_id: 'poison' });
    const [dead] = await once(queue, 'dead-letter');

    expect(receives).toBe(3);
    expect(dead).toMatchObject({ receiveCount: 3, body: '{"call_id":"poison"}' });
    expect(queue.depth).toBe(0);
    expect(queue.deadLetters).toHaveLength(1);
  });

  describe("with a batching window (Lambda's MaximumBatchingWindowInSeconds)", () => {
    // The queue's clock and timers are vitest's: time moves only when the test moves it.
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    const recordBatches = () => {
      const batches: { at: number; ids: string[] }[] = [];
      queue.start(async (event) => {
        batches.push({ at: Date.now(), ids: bodiesOf(event) });
        return { batchItemFailures: [] };
      });
      return batches;
    };

    it('holds a batch smaller than the batch size until the window has passed', async () => {
      queue = new InProcessQueue({ batchSize: 10, batchingWindowMs: 1_000 });
      const batches = recordBatches();
      const start = Date.now();

      await queue.send({ call_id: 'a' });
      await queue.send({ call_id: 'b' });
      await queue.send({ call_id: 'c' });
      await vi.advanceTimersByTimeAsync(999);
      expect(batches).toEqual([]);

      await vi.advanceTimersByTimeAsync(1);
      expect(batches).toEqual([{ at: start + 1_000, ids: ['a', 'b', 'c'] }]);
    });

    it('hands over a full batch at once, without waiting for the window', async () => {
      queue = new InProcessQueue({ batchSize: 3, batchingWindowMs: 1_000 });
      const batches = recordBatches();
      const start = Date.now();

      for (const id of ['a', 'b', 'c', 'd']) await queue.send({ call_id: id });
      await vi.advanceTimersByTimeAsync(0);
      expect(batches).toEqual([{ at: start, ids: ['a', 'b', 'c'] }]);

      // The one left over waits for its own window.
      await vi.advanceTimersByTimeAsync(1_000);
      expect(batches.at(-1)).toEqual({ at: start + 1_000, ids: ['d'] });
    });

    it("counts the window from the batch's first message, not its last", async () => {
      queue = new InProcessQueue({ batchSize: 10, batchingWindowMs: 1_000 });
      const batches = recordBatches();
      const start = Date.now();

      await queue.send({ call_id: 'first' });
      await vi.advanceTimersByTimeAsync(600);
      await queue.send({ call_id: 'second' });
      await vi.advanceTimersByTimeAsync(400);

      expect(batches).toEqual([{ at: start + 1_000, ids: ['first', 'second'] }]);
    });

    it('without a window, hands over what is visible at once (the default)', async () => {
      queue = new InProcessQueue({ batchSize: 10 });
      const batches = recordBatches();
      const start = Date.now();

      await queue.send({ call_id: 'a' });
      await vi.advanceTimersByTimeAsync(0);

      expect(batches).toEqual([{ at: start, ids: ['a'] }]);
    });

    it('polls for nothing while every batch it may hand over is still with the consumer', async () => {
      queue = new InProcessQueue({ batchSize: 1, concurrency: 1, batchingWindowMs: 0 });
      let release = () => {};
      const busy = new Promise<void>((resolve) => {
        release = resolve;
      });
      queue.start(async () => {
        await busy;
        return { batchItemFailures: [] };
      });
      await queue.send({ call_id: 'held' });
      await queue.send({ call_id: 'waiting' });
      await vi.advanceTimersByTimeAsync(0);

      // 'waiting' is visible but the one consumer is busy: only the end of 'held' can change
      // that, and that end pumps the queue itself. Nothing should wake it in the meantime.
      const armed = vi.spyOn(globalThis, 'setTimeout');
      await vi.advanceTimersByTimeAsync(100);
      const timersArmedWhileBusy = armed.mock.calls.length;
      armed.mockRestore();
      release();
      await vi.advanceTimersByTimeAsync(0);

      expect(timersArmedWhileBusy).toBe(0);
      expect(queue.depth).toBe(0);
    });
  });
});
