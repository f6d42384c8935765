import type { CallApiRequest } from '../callapi/call-params.ts';

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
  finishDateTime?: string;
}

export type JaicpRequest = { method: 'jaicp.addPhones'; params: JaicpJobParams };

/** The request a record will send, exactly as stored, whichever backend takes it. */
export type CallRequest = CallApiRequest | JaicpRequest;
