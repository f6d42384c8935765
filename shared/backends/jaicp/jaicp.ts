import { ATTRIBUTE_LEVELS, unstorableReason } from '../../calls/storable.ts';
import type { JaicpAccountConfig, RouteConfig } from '../../config/schema.ts';
import { ProblemError } from '../../http/problem-error.ts';
import type { BackendEntry, RouteCall } from '../backend-entry.ts';

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
}

export type JaicpRequest = { method: 'jaicp.addPhones'; params: JaicpJobParams };

/** A route's call that a JAICP campaign places. */
export type JaicpCall = Extract<RouteCall, { method: JaicpRequest['method'] }>;

/**
 * The route's calling hours and maximum age in JAICP's own terms, so the campaign applies them:
 * `gmtZone` takes an IANA zone id, `allowedDays` the same day names, `allowedTime` one window
 * for every day; the maximum age becomes `finishDateTime` when the job is sent (`toJob`).
 */
export const jaicpWindowOf = (
  route: RouteConfig,
): Pick<JaicpJobParams, 'gmtZone' | 'allowedDays' | 'allowedTime' | 'maxAgeMinutes'> => {
  const hours = route.calling_hours;
  return {
    ...(hours !== undefined && {
      gmtZone: hours.time_zone,
      allowedDays: [...hours.days],
      allowedTime: { default: [{ localTimeFrom: hours.from, localTimeTo: hours.to }] },
    }),
    ...(route.max_age_minutes !== undefined && { maxAgeMinutes: route.max_age_minutes }),
  };
};

/**
 * The job as JAICP reads it: `contact` is its `phone`, the maximum age its `finishDateTime`
 * after the event was accepted (`acceptedAt`), the rest passes through.
 */
export const toJob = ({ contact, maxAgeMinutes, ...rest }: JaicpJobParams, acceptedAt: string) => ({
  phone: contact,
  ...rest,
  ...(maxAgeMinutes !== undefined && {
    finishDateTime: new Date(Date.parse(acceptedAt) + maxAgeMinutes * 60_000).toISOString(),
  }),
});

/**
 * A JAICP call campaign as a backend: a voice bot makes the call. Every job is added with
 * `Idempotence-Key` = the call id, so a request repeated after any failure returns the same job
 * and never a second one; JAICP applies the calling window and its own retries.
 */
export const JAICP: BackendEntry<JaicpAccountConfig, JaicpCall, JaicpRequest> = {
  label: 'a JAICP campaign',
  methods: ['jaicp.addPhones'],
  secretShape: 'token',
  capabilities: { idempotent: true, ownsCallingWindow: true },
  // The campaign's own numbers are JAICP's business.
  ownNumbers: () => [],
  eventsSecret: () => undefined,

  /** The bot's variables built from the payload, the job's retry policy, and the window. */
  request: async ({ route, call, contact, evaluate }) => {
    const variables: Record<string, unknown> = {};
    for (const [name, source] of Object.entries(call.payload ?? {})) {
      const value = await evaluate(source);
      // The record keeps the request as it will be sent: request → params → payload → value.
      const problem = unstorableReason(value, ATTRIBUTE_LEVELS - 3);
      if (problem !== undefined) {
        throw new ProblemError(
          'invalid_payload',
          `The bot variable ${JSON.stringify(name)} built from this payload ${problem}.`,
        );
      }
      variables[name] = value;
    }
    const policy = Object.fromEntries(
      Object.entries(call.params).filter(([, value]) => value !== undefined),
    ) as { [K in keyof typeof call.params]-?: Exclude<(typeof call.params)[K], undefined> };
    return {
      method: call.method,
      params: {
        contact,
        ...(call.payload !== undefined && { payload: variables }),
        ...policy,
        ...jaicpWindowOf(route),
      },
    };
  },

  create: async (account, settings) => {
    const { JaicpBackend } = await import('./jaicp-backend.ts');
    return new JaicpBackend(account, settings);
  },
};
