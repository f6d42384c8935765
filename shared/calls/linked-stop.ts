import type { Logger } from '../logging/logger.ts';
import { announce } from './announce.ts';
import type { CallRecord } from './call-record.ts';
import type { CallStore } from './call-store.ts';
import { decideLinkedStop } from './stop-decisions.ts';

/**
 * Passes a stop word the call was just given (the sender's cancel, the customer's own call) on
 * to the call its escalation made or is making: that call rings the same person for the same
 * event, so the word holds for it too. A call still being made is absent here; the sweeper that
 * makes it reads the word on this call after making it, and stops it (`dispatch/escalate.ts`).
 */
export const passStopToEscalation = async (
  deps: { store: CallStore; logger: Logger },
  source: CallRecord,
  now: Date,
): Promise<void> => {
  if (source.escalation?.due_at === undefined) return;
  const updated = await deps.store.update(source.escalation.call_id, (linked) =>
    decideLinkedStop(linked, source, now),
  );
  announce(deps.logger, updated, { escalated_from: source.call_id });
};
