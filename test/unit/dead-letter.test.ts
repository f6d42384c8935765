import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeadLetterHandler } from '../../functions/dead-letter/handler.ts';
import { lambdaContext } from '../../infra/local/lambda-context.ts';
import { InProcessQueue } from '../../shared/adapters/local/in-process-queue.ts';
import type { CallRecord } from '../../shared/calls/call-record.ts';
import type { CallStore } from '../../shared/calls/call-store.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { sqsRecord } from '../support/dispatch.ts';

/** A store whose `transition` (the one call the dead-letter consumer makes) fails for `broken`. */
const storeFailingFor = (broken: (callId: string) => boolean) => {
  const marked: string[] = [];
  const unused = async (): Promise<never> => {
    throw new Error('not used by the dead-letter consumer');
  };
  const store: CallStore = {
    create: unused,
    get: unused,
    listDue: unused,
    list: unused,
    findBySession: unused,
    update: async (callId, decide) => {
      if (broken(callId)) throw new Error('DynamoDB unavailable');
      const previous = { call_id: callId, status: 'queued' } as CallRecord;
      const decided = decide(previous);
      if (decided === undefined) return { kind: 'unchanged', record: previous };
      marked.push(callId);
      const record = { call_id: callId, status: 'failed' } as CallRecord;
      return { kind: 'changed', record, previous, change: decided };
    },
  };
  return { store, marked };
};

const record = (messageId: string, body: string) => sqsRecord(messageId, body, 'dispatch-dlq');

const handlerOn = (store: CallStore) =>
  createDeadLetterHandler({
    store,
    logger: createLogger('dead-letter-test'),
    now: () => new Date(),
  });

describe('Function: the dead-letter consumer', () => {
  it('reports only the message whose call could not be marked, and marks the others', async () => {
    const { store, marked } = storeFailingFor((callId) => callId === 'c_b');
    const response = await handlerOn(store)(
      {
        Records: [
          record('m-a', '{"call_id":"c_a"}'),
          record('m-b', '{"call_id":"c_b"}'),
          record('m-c', '{"call_id":"c_c"}'),
        ],
      },
      lambdaContext('dead-letter'),
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-b' }] });
    expect(marked.sort()).toEqual(['c_a', 'c_c']);
  });

  it('drops a malformed message rather than having it delivered again', async () => {
    const { store, marked } = storeFailingFor(() => false);
    const response = await handlerOn(store)(
      { Records: [record('m-x', 'not json'), record('m-a', '{"call_id":"c_a"}')] },
      lambdaContext('dead-letter'),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(marked).toEqual(['c_a']);
  });
});

describe('Local wiring: the dispatch queue redriven to the dead-letter consumer', () => {
  let dispatch: InProcessQueue;
  let deadLetters: InProcessQueue;
  afterEach(async () => {
    await dispatch.stop();
    await deadLetters.stop();
  });

  it('delivers again only the dead letter whose call could not be marked', async () => {
    let failures = 0;
    const { store, marked } = storeFailingFor((callId) => callId === 'c_b' && ++failures === 1);
    const deadLetter = handlerOn(store);
    dispatch = new InProcessQueue({ visibilityTimeoutMs: 1, maxReceives: 1 });
    deadLetters = new InProcessQueue({ visibilityTimeoutMs: 1, concurrency: 1 });
    dispatch.redriveTo(deadLetters);
    // Every dispatch fails, so each message is dead-lettered after its one receive.
    dispatch.start(async (event) => ({
      batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })),
    }));
    const received: string[] = [];
    deadLetters.start(async (event) => {
      received.push(...event.Records.map((r) => JSON.parse(r.body).call_id));
      return deadLetter(event, lambdaContext('dead-letter'));
    });

    for (const callId of ['c_a', 'c_b', 'c_c']) await dispatch.send({ call_id: callId });
    while (marked.length < 3) await once(deadLetters, 'idle');

    expect(marked.sort()).toEqual(['c_a', 'c_b', 'c_c']);
    // c_b twice (its first marking failed), the others once.
    expect(received.sort()).toEqual(['c_a', 'c_b', 'c_b', 'c_c']);
    expect(dispatch.deadLetters.map((dead) => JSON.parse(dead.body).call_id).sort()).toEqual([
      'c_a',
      'c_b',
      'c_c',
    ]);
    expect(deadLetters.depth).toBe(0);
  });
});
