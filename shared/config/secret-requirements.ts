import { backendConfigOf } from '../backends/config-registry.ts';
import { type SecretShape, SHAPE_CHECKS } from '../secrets/secret-shapes.ts';
import { SecretNotFoundError, type SecretStore } from '../secrets/secrets.ts';
import { senderSecretOf } from '../senders/registry.ts';
import type { CallhookConfig } from './schema.ts';

/** A secret the config names, the shape its reader needs, and where the config names it. */
export interface SecretRequirement {
  name: string;
  shape: SecretShape;
  namedAt: string;
}

/** Every secret the config names, with what it must hold. */
export const secretRequirements = (config: CallhookConfig): SecretRequirement[] => {
  const needs: SecretRequirement[] = [];
  for (const [name, account] of Object.entries(config.accounts)) {
    for (const secret of backendConfigOf(account).secrets(account)) {
      needs.push({
        name: secret.name,
        shape: secret.shape,
        namedAt: `accounts.${name}.${secret.field}`,
      });
    }
  }
  for (const [name, route] of Object.entries(config.routes)) {
    const sender = senderSecretOf(route.auth);
    if (sender !== undefined) needs.push({ ...sender, namedAt: `routes.${name}.auth.secret` });
    if (route.callback_secret !== undefined) {
      needs.push({
        name: route.callback_secret,
        shape: 'standard-webhooks-key',
        namedAt: `routes.${name}.callback_secret`,
      });
    }
  }
  return needs;
};

/**
 * Reads every required secret and says, for each one missing or of the wrong shape, which it
 * is and where it is named. An empty list means every secret is usable. Values are never shown.
 */
export const secretProblems = async (
  requirements: readonly SecretRequirement[],
  secrets: SecretStore,
): Promise<string[]> => {
  const problems: string[] = [];
  for (const need of requirements) {
    let value: string;
    try {
      value = await secrets.get(need.name);
    } catch (error) {
      if (!(error instanceof SecretNotFoundError)) throw error;
      problems.push(`${need.namedAt}: secret "${need.name}" does not exist`);
      continue;
    }
    const problem = SHAPE_CHECKS[need.shape](value);
    if (problem !== undefined) problems.push(`${need.namedAt}: secret "${need.name}" ${problem}`);
  }
  return problems;
};
