import { allDials } from './attempts.ts';
import type { CallRecord } from './call-record.ts';

/** A route's speed-to-lead target (`target` in the config). */
export interface LeadTarget {
  talk_within_minutes: number;
}

/** How fast one call reached its customer, against its route's target. */
export interface LeadTime {
  /** From the sender's own event time (else acceptance) to the first answer, in ms. */
  lead_ms: number;
  met: boolean;
}

/**
 * When the call first talked: the answer time of its first attempt that was answered (by the
 * provider's notification, or the answer time its report implies). Undefined until one is.
 */
export const firstTalkAt = (record: CallRecord): string | undefined =>
  allDials(record).find((dial) => dial.answered_at !== undefined)?.answered_at;

/**
 * The call's lead time against `target`, once it has talked: from the sender's event time
 * (signed, `sender_event_at`), else from when callhook accepted it, to the first answer.
 */
export const leadTimeOf = (record: CallRecord, target: LeadTarget): LeadTime | undefined => {
  const talkedAt = firstTalkAt(record);
  if (talkedAt === undefined) return undefined;
  const from = Date.parse(record.sender_event_at ?? record.created_at);
  const lead_ms = Math.max(0, Date.parse(talkedAt) - from);
  return { lead_ms, met: lead_ms <= target.talk_within_minutes * 60_000 };
};
