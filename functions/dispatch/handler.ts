import middy from '@middy/core';
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DispatchMessage } from '../../shared/calls/dispatch-queue.ts';
import { type DispatchDeps, dispatchCall } from '../../shared/dispatch/dispatch-call.ts';
import { parseJsonOrUndefined } from '../../shared/json/parse-json.ts';
import { lazyHandler } from '../lazy-handler.ts';

/** The dispatch queue's consumer; reports each message that should be delivered again. */
export const createDispatchHandler = (deps: DispatchDeps) =>
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
        try {
          const result = await dispatchCall(deps, parsed.data.call_id);
          return result === 'retry' ? { itemIdentifier: message.messageId } : undefined;
        } catch (error) {
          // Storage failed mid-dispatch; redelivery is safe because every step is conditional.
          deps.logger.error('dispatch failed', { call_id: parsed.data.call_id, error });
          return { itemIdentifier: message.messageId };
        }
      }),
    );
    return { batchItemFailures: outcomes.filter((failure) => failure !== undefined) };
  });

export const handler = lazyHandler(async () => {
  const { awsDispatchDeps } = await import('../aws-wiring.ts');
  return createDispatchHandler(await awsDispatchDeps());
});
