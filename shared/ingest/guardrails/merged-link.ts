import type { CallRecord } from '../../calls/call-record.ts';
import type { CallStore } from '../../calls/call-store.ts';
import { change } from '../../calls/lifecycle.ts';
import type { WindowEntry } from '../../guardrails/contact-window.ts';

/** The history line that names, on the call kept, an event merged into it. */
export const mergedLine = (merged: WindowEntry): string =>
  `duplicate_contact: event ${merged.call_id} on route ${merged.route} merged into this call`;

/**
 * Writes the line on the call kept (`contactMerged`), once: every delivery of the merged event,
 * and the call's own ingest when the event came while it was being stored, may each try. A call
 * that is not stored (yet) is left alone: the one that stores it then links what was noted.
 */
export const linkMerged = async (
  store: Pick<CallStore, 'update'>,
  kept: string,
  merged: WindowEntry,
  now: Date,
  known?: CallRecord,
): Promise<void> => {
  await store.update(
    kept,
    (record) =>
      record.status === 'skipped' ||
      record.history.some((entry) => entry.reason?.includes(merged.call_id) === true)
        ? undefined
        : change('contactMerged', now, { reason: mergedLine(merged) }),
    known,
  );
};
