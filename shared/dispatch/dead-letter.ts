import type { CallStore } from '../calls/call-store.ts';
import { change } from '../calls/lifecycle.ts';
import type { Logger } from '../logging/logger.ts';

/**
 * A dispatch message that failed every delivery has gone to the dead-letter queue; its call
 * would otherwise wait `queued` for the sweeper forever. A call caught `dialing` is left to the
 * lease sweep, which knows it may have been placed.
 */
export const markDeadLettered = async (
  deps: { store: CallStore; logger: Logger; now: () => Date },
  callId: string,
): Promise<void> => {
  const now = deps.now();
  const failed = await deps.store.update(callId, (current) =>
    current.status === 'queued'
      ? change('deadLettered', now, {
          reason: 'dead_lettered',
          set: {
            error: {
              reason: 'dead_lettered',
              message: 'dispatch failed on every delivery; the message is in the dead-letter queue',
            },
          },
        })
      : undefined,
  );
  deps.logger.error('dispatch message dead-lettered', {
    call_id: callId,
    marked_failed: failed.kind === 'changed',
    metric: 'DispatchDeadLettered',
  });
};
