import {
  isFinishReason,
  RESULT_WITHOUT_TALK,
} from '../backends/callapi/data-api/finish-reasons.ts';
import { followUpOf } from '../backends/registry.ts';
import type { CallOutcome, CallRecord } from '../calls/call-record.ts';
import type { CallResult } from '../calls/call-result.ts';
import type { CallhookConfig } from '../config/schema.ts';
import { outcomeAfterMs } from '../dispatch/outcome-timing.ts';
import type { SweepTiming } from '../dispatch/sweep-timing.ts';
import type { ProviderEvent } from './provider-event.ts';

/** What the notifications side needs to know of the reports. */
export interface ReportSettings {
  config?: CallhookConfig;
  timing?: SweepTiming;
}

/**
 * The result an `ended` notification suggests, until the report says: `talked` with talk time,
 * else what the table says of a documented `finish_reason` (templates often send none).
 */
export const notifiedResult = (event: ProviderEvent): CallResult | undefined => {
  if ((event.talk_time_duration ?? 0) > 0) return 'talked';
  const reason = event.finish_reason;
  return reason !== undefined && isFinishReason(reason) ? RESULT_WITHOUT_TALK[reason] : undefined;
};

/**
 * On an account with a Data API key a notification is the fast word, and the report the true
 * one: the outcome says it came from a notification (with the result it suggests), and the
 * sweeper looks at the report `outcomeAfterMs` later, to confirm or correct it. Elsewhere the
 * notification is the last word, as before.
 */
export const followNotification = (
  settings: ReportSettings,
  record: Pick<CallRecord, 'account'>,
  event: ProviderEvent,
  outcome: CallOutcome,
  now: Date,
): { outcome: CallOutcome; sweep_at?: string } => {
  if (settings.config === undefined || followUpOf(settings.config, record.account) !== 'report') {
    return { outcome };
  }
  const result = event.event === 'ended' ? notifiedResult(event) : undefined;
  const after = outcomeAfterMs(settings.timing);
  return {
    outcome: {
      ...outcome,
      reported_by: 'notification',
      ...(result !== undefined && { result }),
    },
    sweep_at: new Date(now.getTime() + after).toISOString(),
  };
};
