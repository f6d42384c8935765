import { entryOf } from '../../shared/backends/registry.ts';
import type { CallhookConfig } from '../../shared/config/schema.ts';

/** The secrets a deployment holds, by the functions that read them. */
export interface SecretNeeds {
  /** The accounts' own secrets: dispatch, the sweeper (reconciliation) and calls (release). */
  accounts: string[];
  /** The accounts' Data API keys: the sweeper, which reads how calls ended. */
  reports: string[];
  /** Sender verification: ingest. */
  senders: string[];
  /** Provider notification tokens: events. */
  events: string[];
  /** Status callback signing keys: callbacks. */
  callbacks: string[];
}

const unique = (names: (string | undefined)[]): string[] =>
  [...new Set(names.filter((name): name is string => name !== undefined))].sort();

/** Every secret name the config refers to, grouped by who needs it. */
export const secretNeeds = (config: CallhookConfig): SecretNeeds => {
  const accounts = Object.values(config.accounts);
  const routes = Object.values(config.routes);
  return {
    accounts: unique(accounts.map((account) => account.secret)),
    reports: unique(
      accounts.map((account) =>
        account.backend === 'callapi' ? account.data_api?.secret : undefined,
      ),
    ),
    senders: unique(
      routes.map((route) => (route.auth.type === 'none' ? undefined : route.auth.secret)),
    ),
    events: unique(accounts.map((account) => entryOf(account).eventsSecret(account))),
    callbacks: unique(routes.map((route) => route.callback_secret)),
  };
};

export const ADMIN_KEY_SECRET = 'callhook/admin-key';
