import { ATTRIBUTE_LEVELS, unstorableReason } from '../../calls/storable.ts';
import { ProblemError } from '../../http/problem-error.ts';
import type { BackendEntry, RouteCall } from '../backend-entry.ts';
import type { JaicpAccountConfig } from './config.ts';
import { jaicpWindowOf } from './jaicp-job.ts';
import type { JaicpRequest } from './jaicp-request.ts';
import { JAICP_CAPABILITIES, JAICP_METHODS, JAICP_SECRET_SHAPE } from './jaicp-traits.ts';

/** The nesting a bot variable may have: the record keeps it under request → params → payload. */
export const VARIABLE_LEVELS = ATTRIBUTE_LEVELS - 3;

/** A route's call that a JAICP campaign places. */
export type JaicpCall = Extract<RouteCall, { method: JaicpRequest['method'] }>;

/**
 * A JAICP call campaign as a backend: a voice bot makes the call. Every job is added with
 * `Idempotence-Key` = the external id of the call's current attempt (the call id for the first),
 * so a request repeated after any failure returns the same job and never a second one, while a
 * new attempt is a new job; JAICP applies the calling window and its own retries.
 */
export const JAICP: BackendEntry<JaicpAccountConfig, JaicpCall, JaicpRequest> = {
  label: 'a JAICP campaign',
  methods: JAICP_METHODS,
  secretShape: JAICP_SECRET_SHAPE,
  capabilities: JAICP_CAPABILITIES,
  // The campaign's own numbers are JAICP's business.
  ownNumbers: () => [],
  eventsSecret: () => undefined,

  // A campaign sends no notifications: its call job is asked how it is getting on.
  followUp: () => 'progress',

  expressions: (call) => Object.values(call.payload ?? {}),

  /** The bot's variables built from the payload, the job's retry policy, and the window. */
  request: async ({ route, call, contact, evaluate }) => {
    const variables: Record<string, unknown> = {};
    for (const [name, source] of Object.entries(call.payload ?? {})) {
      const value = await evaluate(source);
      // The record keeps the request as it will be sent: request → params → payload → value.
      const problem = unstorableReason(value, VARIABLE_LEVELS);
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

  provider: (account) =>
    account.provider === 'simulator'
      ? 'the JAICP simulator'
      : `JAICP (${new URL(account.base_url).host})`,
};
