import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DispatchMessage, recordOf } from '../../shared/calls/dispatch-queue.ts';
import { dispatchCall } from '../../shared/dispatch/dispatch-call.ts';
import { eachMessage } from '../sqs/each-message.ts';
import type { DispatchHandlerDeps } from './deps.ts';

export type { DispatchHandlerDeps };

/**
 * The dispatch queue's consumer. A call that must wait goes back on the queue as a new, delayed
 * message before this one is deleted, so a crash in between leaves a surplus message, never none.
 * A message whose handling failed is reported, and SQS delivers it again.
 */
export const createDispatchHandler = (deps: DispatchHandlerDeps) =>
  middy<SQSEvent, SQSBatchResponse>().handler(
    eachMessage({
      schema: DispatchMessage,
      name: 'dispatch',
      logger: deps.logger,
      handle: async (message) => {
        const result = await dispatchCall(deps, message.call_id, recordOf(message));
        if (result.kind === 'later') {
          const delayMs = result.at.getTime() - deps.now().getTime();
          // Nothing was written: the record the message carries is as current as it was.
          await deps.queue.send(message, { delaySeconds: Math.max(0, delayMs) / 1000 });
        }
      },
      // Storage or the queue failed mid-dispatch; redelivery is safe because every step is
      // conditional.
      failed: { log: 'dispatch failed', about: (message) => ({ call_id: message.call_id }) },
    }),
  );
