import type * as ClientSecretsManager from '@aws-sdk/client-secrets-manager';
import { requireSdk } from './require-sdk.ts';

/** Secrets Manager's client, loaded with `require`. */
export const { SecretsManagerClient, GetSecretValueCommand, ResourceNotFoundException } =
  requireSdk<typeof ClientSecretsManager>('@aws-sdk/client-secrets-manager');

export type SecretsManagerClient = ClientSecretsManager.SecretsManagerClient;
