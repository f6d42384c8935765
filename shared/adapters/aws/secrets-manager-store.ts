import type { SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import { SecretNotFoundError, type SecretStore } from '../../secrets/secrets.ts';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from './sdk/secrets-manager.ts';

/** Secrets Manager behind the secrets port; wrap it in `CachedSecretStore`. */
export class SecretsManagerStore implements SecretStore {
  readonly #client: SecretsManagerClient;

  constructor(
    options:
      | { client: SecretsManagerClient; clientConfig?: never }
      | { client?: never; clientConfig: SecretsManagerClientConfig },
  ) {
    this.#client = options.client ?? new SecretsManagerClient(options.clientConfig);
  }

  async get(name: string): Promise<string> {
    try {
      const reply = await this.#client.send(new GetSecretValueCommand({ SecretId: name }));
      if (reply.SecretString === undefined) throw new SecretNotFoundError(name);
      return reply.SecretString;
    } catch (error) {
      if (error instanceof ResourceNotFoundException)
        throw new SecretNotFoundError(name, { cause: error });
      throw error;
    }
  }
}
