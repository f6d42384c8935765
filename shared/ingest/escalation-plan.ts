import type { Escalation } from '../calls/call-record.ts';
import { escalationCallIdFor } from '../calls/idempotency.ts';
import type { RouteConfig } from '../config/schema.ts';
import { ProblemError } from '../http/problem-error.ts';
import type { EventContext } from './event-context.ts';
import type { IngestDeps } from './ingest-deps.ts';
import { requestFor } from './map-call.ts';

/**
 * A route's `escalate`, settled for one event while its payload is at hand: route `to`'s own
 * request, built by its mapping from this event's signed payload for the number this call rings.
 * The linked call, if it is ever made, is made from this alone. Where `to`'s mapping fails on
 * the payload, the call is still accepted: the plan says why it cannot be escalated.
 */
export const escalationPlanOf = async (
  deps: Pick<IngestDeps, 'config' | 'logger'>,
  fields: { route: RouteConfig; callId: string; contact: string; event: EventContext },
): Promise<Escalation | undefined> => {
  const escalate = fields.route.escalate;
  if (escalate === undefined) return undefined;
  const plan = {
    to: escalate.to,
    when: escalate.when,
    call_id: escalationCallIdFor(escalate.to, fields.callId),
  };
  const target = deps.config.routes[escalate.to];
  const account = target === undefined ? undefined : deps.config.accounts[target.account];
  // The config schema refuses both; a config changed under a running function may not.
  if (target === undefined || account === undefined) {
    return { ...plan, problem: `route ${escalate.to} is not configured` };
  }
  try {
    return {
      ...plan,
      request: await requestFor(target, account, fields.contact, fields.event.value),
    };
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    deps.logger.warn('escalation cannot be built from this event', {
      call_id: fields.callId,
      to: escalate.to,
      problem: error.message,
    });
    return { ...plan, problem: `route ${escalate.to}'s mapping: ${error.message}` };
  }
};
