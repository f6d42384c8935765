import middy from '@middy/core';
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { CallbackMessage } from '../../shared/callbacks/callback-message.ts';
import { type CallbackDeps, deliverCallback } from '../../shared/callbacks/deliver-callback.ts';
import { parseJsonOrUndefined } from '../../shared/json/parse-json.ts';
import { lazyHandler } from '../lazy-handler.ts';

/**
 * The callbacks queue's consumer. A failed delivery is re-sent as a new, delayed message, so
 * the queue's own redelivery is left for failures of ours (the secret store, the queue).
 */
export const createCallbacksHandler = (deps: CallbackDeps) =>
  middy<SQSEvent, SQSBatchResponse>().handler(async (event) => {
    const outcomes = await Promise.all(
      event.Records.map(async (message): Promise<SQSBatchItemFailure | undefined> => {
        const parsed = CallbackMessage.safeParse(parseJsonOrUndefined(message.body));
        if (!parsed.success) {
          deps.logger.error('dropping malformed callback message', {
            messageId: message.messageId,
          });
          return undefined;
        }
        try {
          await deliverCallback(deps, parsed.data);
          return undefined;
        } catch (error) {
          deps.logger.error('callback delivery failed', {
            webhook_id: parsed.data.webhook_id,
            error,
          });
          return { itemIdentifier: message.messageId };
        }
      }),
    );
    return { batchItemFailures: outcomes.filter((failure) => failure !== undefined) };
  });

export const handler = lazyHandler(async () => {
  const { awsCallbacksDeps } = await import('./aws-deps.ts');
  return createCallbacksHandler(await awsCallbacksDeps());
});
