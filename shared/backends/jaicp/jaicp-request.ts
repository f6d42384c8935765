/** A local time window, JAICP's `allowedTime` shape. */
export interface JaicpTimeWindow {
  localTimeFrom: string;
  localTimeTo: string;
}

/**
 * One call job for a JAICP campaign, as callhook sends it (`phone` is `contact` here so every
 * request names its number the same way). The calling window is JAICP's to apply: it travels
 * with the job instead of callhook scheduling it.
 */
export interface JaicpJobParams {
  contact: string;
  payload?: Record<string, unknown>;
  maxAttempts?: number;
  retryIntervalInMinutes?: number;
  dialerPriority?: number;
  gmtZone?: string;
  allowedDays?: string[];
  allowedTime?: { default: JaicpTimeWindow[] };
  /**
   * The route's maximum age. Sent as JAICP's `finishDateTime`, counted from when the event was
   * first accepted: a time computed at each delivery would make every resend another request.
   */
  maxAgeMinutes?: number;
  /**
   * The route's holidays on its calling days (`YYYY-MM-DD` in `gmtZone`), sorted. Not a JAICP
   * field: JAICP's window knows weekdays only, so `toJob` turns these into the job's
   * `startDateTime` and an earlier `finishDateTime`, and never sends them. Absent when none.
   */
  holidays?: string[];
}

export type JaicpRequest = { method: 'jaicp.addPhones'; params: JaicpJobParams };
