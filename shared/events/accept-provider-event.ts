import { entryOf } from '../backends/registry.ts';
import type { CallhookConfig } from '../config/schema.ts';
import { parsePayload } from '../http/parse-body.ts';
import { ProblemError, quoteInput } from '../http/problem-error.ts';
import type { RawRequest } from '../http/raw-request.ts';
import { readSecret } from '../secrets/secret-shapes.ts';
import type { SecretStore } from '../secrets/secrets.ts';
import { verifyToken } from '../senders/token-check.ts';
import { ProviderEvent } from './provider-event.ts';
import { type EventDeps, type EventOutcome, recordProviderEvent } from './record-provider-event.ts';

export interface AcceptEventDeps extends EventDeps {
  config: CallhookConfig;
  secrets: SecretStore;
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
  const parsed = ProviderEvent.safeParse(
    parsePayload(request, { omitQuery: [EVENTS_TOKEN.query] }),
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProblemError(
      'invalid_payload',
      `The event does not match the template: ${issue?.path.join('.') || 'body'}: ${issue?.message}.`,
    );
  }
  return recordProviderEvent(deps, accountName, parsed.data);
};
