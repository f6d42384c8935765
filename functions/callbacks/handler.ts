import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { CallbackMessage } from '../../shared/callbacks/callback-message.ts';
import { type CallbackDeps, deliverCallback } from '../../shared/callbacks/deliver-callback.ts';
import { eachMessage } from '../sqs/each-message.ts';

/**
 * The callbacks queue's consumer. A failed delivery is re-sent as a new, delayed message, so
 * the queue's own redelivery is left for failures of ours (the secret store, the queue).
 */
export const createCallbacksHandler = (deps: CallbackDeps) =>
  middy<SQSEvent, SQSBatchResponse>().handler(
    eachMessage({
      schema: CallbackMessage,
      name: 'callback',
      logger: deps.logger,
      handle: async (message) => {
        await deliverCallback(deps, message);
      },
      failed: {
        log: 'callback delivery failed',
        about: (message) => ({ webhook_id: message.webhook_id }),
      },
    }),
  );
