import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DispatchMessage } from '../../shared/calls/dispatch-queue.ts';
import { markDeadLettered } from '../../shared/dispatch/dead-letter.ts';
import { eachMessage } from '../sqs/each-message.ts';
import type { DeadLetterDeps } from './deps.ts';

export type { DeadLetterDeps };

/**
 * Consumes the dispatch dead-letter queue so each stranded call says what happened to it. A
 * message whose call could not be marked is reported, and only it is delivered again.
 */
export const createDeadLetterHandler = (deps: DeadLetterDeps) =>
  middy<SQSEvent, SQSBatchResponse>().handler(
    eachMessage({
      schema: DispatchMessage,
      name: 'dead-letter',
      logger: deps.logger,
      handle: (message) => markDeadLettered(deps, message.call_id),
      failed: {
        log: 'dead letter not recorded',
        about: (message) => ({ call_id: message.call_id }),
      },
    }),
  );
