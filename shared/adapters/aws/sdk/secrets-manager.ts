import type * as ClientSecretsManager from '@aws-sdk/client-secrets-manager';
import { requireSdk } from './require-sdk.ts';

let loaded: typeof ClientSecretsManager | undefined;
/**
 * Secrets Manager's client, loaded with `require` on the first call rather than at import, as
 * `sqsSdk` is: the sweeper reads a secret only when a due call needs its backend or the contact
 * hash key. A function that reads one on every invocation calls this at import.
 */
export const secretsManagerSdk = (): typeof ClientSecretsManager => {
  loaded ??= requireSdk<typeof ClientSecretsManager>('@aws-sdk/client-secrets-manager');
  return loaded;
};

export type SecretsManagerClient = ClientSecretsManager.SecretsManagerClient;
