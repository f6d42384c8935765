import type { SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import { SecretNotFoundError, type SecretStore } from '../../secrets/secrets.ts';
import { type SecretsManagerClient, secretsManagerSdk } from './sdk/secrets-manager.ts';

/**
 * Secrets Manager behind the secrets port; wrap it in `CachedSecretStore`. Given a client
 * config, it loads the SDK and makes its client on the first read (`secretsManagerSdk`).
 */
export class SecretsManagerStore implements SecretStore {
  #client: SecretsManagerClient | undefined;
  readonly #clientConfig: SecretsManagerClientConfig | undefined;

  constructor(
    options:
      | { client: SecretsManagerClient; clientConfig?: never }
      | { client?: never; clientConfig: SecretsManagerClientConfig },
  ) {
    this.#client = options.client;
    this.#clientConfig = options.clientConfig;
  }

  #secretsManager(): SecretsManagerClient {
    this.#client ??= new (secretsManagerSdk().SecretsManagerClient)(this.#clientConfig ?? {});
    return this.#client;
  }

  async get(name: string): Promise<string> {
    const { GetSecretValueCommand, ResourceNotFoundException } = secretsManagerSdk();
    try {
      const reply = await this.#secretsManager().send(
        new GetSecretValueCommand({ SecretId: name }),
      );
      if (reply.SecretString === undefined) throw new SecretNotFoundError(name);
      return reply.SecretString;
    } catch (error) {
      if (error instanceof ResourceNotFoundException)
        throw new SecretNotFoundError(name, { cause: error });
      throw error;
    }
  }
}
