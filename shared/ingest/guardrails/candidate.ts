import type { CallRequest } from '../../backends/config-registry.ts';
import type { AccountConfig, RouteConfig } from '../../config/schema.ts';
import { callablePhone } from '../../routes/phone.ts';
import type { EventContext } from '../event-context.ts';
import type { IngestDeps } from '../ingest-deps.ts';
import { requestFor } from '../map-call.ts';
import type { Candidate } from './guardrail.ts';

/**
 * The event as the guardrails see it: its number and its call request are worked out once,
 * when the first guardrail asks, and a refusal met on the way is met again by any later reader.
 */
export const candidateOf = (
  deps: Pick<IngestDeps, 'config' | 'numbering'>,
  fields: {
    routeName: string;
    route: RouteConfig;
    account: AccountConfig;
    callId: string;
    now: Date;
    event: EventContext;
  },
): Candidate => {
  const { route, account, event } = fields;
  let contact: { digits: string } | undefined;
  let request: Promise<CallRequest> | undefined;
  const contactOf = (): string => {
    contact ??= {
      digits: callablePhone(event.contact(), {
        defaultCountry: route.default_country,
        allowedCountries: route.allowed_countries ?? [route.default_country],
        numbering: deps.numbering,
      }),
    };
    return contact.digits;
  };
  return {
    ...fields,
    config: deps.config,
    contact: contactOf,
    request: () => {
      request ??= requestFor(route, account, contactOf(), event.value);
      return request;
    },
  };
};
