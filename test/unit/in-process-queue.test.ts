import { once } from 'node:events';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
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
});
