import middy from '@middy/core';
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DispatchMessage, type DispatchQueue } from '../../shared/calls/dispatch-queue.ts';
import { type DispatchDeps, dispatchCall } from '../../shared/dispatch/dispatch-call.ts';
import { parseJsonOrUndefined } from '../../shared/json/parse-json.ts';
import { lazyHandler } from '../lazy-handler.ts';

export interface DispatchHandlerDeps extends DispatchDeps {
  queue: DispatchQueue;
}

/**
 * The dispatch queue's consumer. A call that must wait goes back on the queue as a new, delayed
 * message before this one is deleted, so a crash in between leaves a surplus message, never none.
 * A message whose handling failed is reported, and SQS delivers it again.
 */
export const createDispatchHandler = (deps: DispatchHandlerDeps) =>
  middy<SQSEvent, SQSBatchResponse>().handler(async (event) => {
    const outcomes = await Promise.all(
      event.Records.map(async (message): Promise<SQSBatchItemFailure | undefined> => {
        const parsed = DispatchMessage.safeParse(parseJsonOrUndefined(message.body));
        if (!parsed.success) {
          // Not ours to retry: no amount of redelivery makes it valid.
          deps.logger.error('dropping malformed dispatch message', {
            messageId: message.messageId,
          });
          return undefined;
        }
        const callId = parsed.data.call_id;
        try {
          const result = await dispatchCall(deps, callId);
          if (result.kind === 'later') {
            const delayMs = result.at.getTime() - deps.now().getTime();
            await deps.queue.send(
              { call_id: callId },
              { delaySeconds: Math.max(0, delayMs) / 1000 },
            );
          }
          return undefined;
        } catch (error) {
          // Storage or the queue failed mid-dispatch; redelivery is safe because every step is
          // conditional.
          deps.logger.error('dispatch failed', { call_id: callId, error });
          return { itemIdentifier: message.messageId };
        }
      }),
    );
    return { batchItemFailures: outcomes.filter((failure) => failure !== undefined) };
  });

export const handler = lazyHandler(async () => {
  const { awsDispatchDeps } = await import('./aws-deps.ts');
  return createDispatchHandler(await awsDispatchDeps());
});
