import { entryOf } from '../backends/registry.ts';
import type { CallhookConfig } from '../config/schema.ts';
import type { ContactCapStore } from '../guardrails/contact-cap.ts';
import { parsePayload } from '../http/parse-body.ts';
import { ProblemError, quoteInput } from '../http/problem-error.ts';
import type { RawRequest } from '../http/raw-request.ts';
import { readSecret } from '../secrets/secret-shapes.ts';
import type { SecretStore } from '../secrets/secrets.ts';
import { verifyToken } from '../senders/token-check.ts';
import { stopForCustomerCall } from './customer-called-in.ts';
import { InboundCall } from './inbound-call.ts';
import { ProviderEvent } from './provider-event.ts';
import { type EventDeps, type EventOutcome, recordProviderEvent } from './record-provider-event.ts';

export interface AcceptEventDeps extends EventDeps {
  config: CallhookConfig;
  secrets: SecretStore;
  contacts: ContactCapStore;
}

/** The provider's notification template can set a header or put the token in the URL. */
const EVENTS_TOKEN = { header: 'X-Callhook-Token', query: 'token' } as const;

/** POST /events/{account}: authenticate the provider's notification, then record it. */
export const acceptProviderEvent = async (
  deps: AcceptEventDeps,
  accountName: string,
  request: RawRequest,
): Promise<EventOutcome> => {
  const account = Object.hasOwn(deps.config.accounts, accountName)
    ? deps.config.accounts[accountName]
    : undefined;
  const eventsSecret = account === undefined ? undefined : entryOf(account).eventsSecret(account);
  if (eventsSecret === undefined) {
    throw new ProblemError(
      'unknown_account',
      `No account named ${quoteInput(accountName)} accepts provider events.`,
    );
  }
  verifyToken(request, EVENTS_TOKEN, await readSecret(deps.secrets, eventsSecret, 'token'));
  const payload = parsePayload(request, { omitQuery: [EVENTS_TOKEN.query] });
  if ((payload as { event?: unknown }).event === 'inbound') {
    // The customer rang the account: the calls to that number stop where their route says so.
    const inbound = matchTemplate(InboundCall.safeParse(payload));
    const { stopped } = await stopForCustomerCall(deps, accountName, inbound.contact_phone_number);
    return { status: 'customer_called_in', stopped };
  }
  return recordProviderEvent(deps, accountName, matchTemplate(ProviderEvent.safeParse(payload)));
};

/** The parsed event, or a 422 naming the first field that does not match its template. */
const matchTemplate = <T>(
  parsed:
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: PropertyKey[]; message: string }[] } },
): T => {
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ProblemError(
    'invalid_payload',
    `The event does not match the template: ${issue?.path.join('.') || 'body'}: ${issue?.message}.`,
  );
};
