import { ProblemError } from '../../http/problem-error.ts';
import type { BackendEntry, RouteCall } from '../backend-entry.ts';
import { CALL_METHODS, type CallApiRequest, parseCallRequest } from './api/call-params.ts';
import type { ProviderName } from './api/providers.ts';
import { CALL_API_CAPABILITIES, CALL_API_SECRET_SHAPE } from './call-api-traits.ts';
import type { CallApiAccountConfig } from './config.ts';

/** A route's call that the Call API places: `start.simple_call` or `start.informer_call`. */
export type CallApiCall = Extract<RouteCall, { method: CallApiRequest['method'] }>;

/** How each provider's client area is known to its users. */
const PROVIDER_LABELS: Record<ProviderName | 'simulator', string> = {
  callgear: 'CallGear',
  uis: 'UIS',
  comagic: 'CoMagic',
  novofon: 'Novofon',
  simulator: 'the Call API simulator',
};

const providerOf = (account: CallApiAccountConfig): string =>
  account.base_url !== undefined
    ? new URL(account.base_url).host
    : PROVIDER_LABELS[account.provider ?? 'simulator'];

/**
 * The Call API (CallGear, UIS, CoMagic, Novofon) as a backend: a request sent again after an
 * unknown outcome could be a second call, and callhook applies the calling window itself.
 */
export const CALL_API: BackendEntry<CallApiAccountConfig, CallApiCall, CallApiRequest> = {
  label: 'a Call API account',
  methods: CALL_METHODS,
  secretShape: CALL_API_SECRET_SHAPE,
  capabilities: CALL_API_CAPABILITIES,

  ownNumbers: (account, calls) => [
    account.virtual_phone_number,
    ...calls.flatMap((call) =>
      call.params.virtual_phone_number === undefined ? [] : [call.params.virtual_phone_number],
    ),
  ],

  eventsSecret: (account) => account.events_secret,

  // Only the Data API says how a call ended, and so whether to redial it.
  followUp: (account) => (account.data_api === undefined ? 'none' : 'report'),

  expressions: (call) => (call.contact_message === undefined ? [] : [call.contact_message.value]),

  /**
   * The route's fixed params, the account's caller id unless the route names its own, and the
   * message built from the payload (its length is a guardrail's: `message-length.ts`), checked
   * against the method's documented schema.
   */
  request: async ({ account, call, contact, text }) => {
    const template = call.contact_message;
    const message = template === undefined ? undefined : await text(template.value, 'message');
    const params = {
      ...call.params,
      virtual_phone_number: call.params.virtual_phone_number ?? account.virtual_phone_number,
      contact,
      ...(template !== undefined &&
        message !== undefined && { contact_message: { type: template.type, value: message } }),
    };
    const request = parseCallRequest(call.method, params);
    if (!request.ok) {
      throw new ProblemError(
        'invalid_payload',
        `The call built from this payload is invalid at ${request.field}.`,
      );
    }
    return request.request;
  },

  provider: providerOf,
};
