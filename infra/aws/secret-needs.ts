import type { SecretReader } from '../../shared/backends/backend-config.ts';
import { backendConfigOf } from '../../shared/backends/config-registry.ts';
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
  const accountSecrets = Object.values(config.accounts).flatMap((account) =>
    backendConfigOf(account).secrets(account),
  );
  const readBy = (reader: SecretReader): string[] =>
    unique(accountSecrets.filter((secret) => secret.readBy === reader).map(({ name }) => name));
  const routes = Object.values(config.routes);
  return {
    accounts: readBy('calls'),
    reports: readBy('reports'),
    senders: unique(
      routes.map((route) => (route.auth.type === 'none' ? undefined : route.auth.secret)),
    ),
    events: readBy('events'),
    callbacks: unique(routes.map((route) => route.callback_secret)),
  };
};

/**
 * The secrets the keys callhook makes for itself lived in before `callhook/keys`
 * (`shared/secrets/own-keys.ts`): kept in the stateful stack only while a deployment upgrades
 * (`keepOldKeySecrets`, CHANGELOG).
 */
export const OLD_KEY_SECRETS = ['callhook/admin-key', 'callhook/contact-hash-key'] as const;
