import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import type { CallStore } from '../../shared/calls/call-store.ts';
import { DispatchMessage } from '../../shared/calls/dispatch-queue.ts';
import { markDeadLettered } from '../../shared/dispatch/dead-letter.ts';
import { parseJsonOrUndefined } from '../../shared/json/parse-json.ts';
import type { Logger } from '../../shared/logging/logger.ts';
import { lazyHandler } from '../lazy-handler.ts';

export interface DeadLetterDeps {
  store: CallStore;
  logger: Logger;
  now: () => Date;
}

/** Consumes the dispatch dead-letter queue so each stranded call says what happened to it. */
export const createDeadLetterHandler = (deps: DeadLetterDeps) =>
  middy<SQSEvent, void>().handler(async (event) => {
    for (const message of event.Records) {
      const parsed = DispatchMessage.safeParse(parseJsonOrUndefined(message.body));
      if (parsed.success) await markDeadLettered(deps, parsed.data.call_id);
    }
  });

export const handler = lazyHandler(async () => {
  const { awsDeadLetterDeps } = await import('./aws-deps.ts');
  return createDeadLetterHandler(await awsDeadLetterDeps());
});
