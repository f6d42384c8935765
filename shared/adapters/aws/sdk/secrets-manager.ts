import type * as ClientSecretsManager from '@aws-sdk/client-secrets-manager';
import { requireSdkOnFirstUse } from './require-sdk.ts';

/**
 * Secrets Manager's client, loaded on first use: the sweeper reads a secret only when a due call
 * needs its backend or the contact hash key.
 */
export const secretsManagerSdk = requireSdkOnFirstUse<typeof ClientSecretsManager>(
  '@aws-sdk/client-secrets-manager',
);

export type SecretsManagerClient = ClientSecretsManager.SecretsManagerClient;
