import { parameterNameOf } from '../../secrets/secret-stores.ts';
import { SecretNotFoundError, type SecretStore } from '../../secrets/secrets.ts';
import { type SSMClient, type SSMClientConfig, ssmSdk } from './sdk/ssm.ts';

/**
 * SSM Parameter Store behind the secrets port: each secret is the `SecureString` parameter of
 * `parameterNameOf` its name, read decrypted. Wrap it in `CachedSecretStore`, as Secrets Manager
 * is: a standard-tier account shares about 40 reads a second across every caller in the region.
 */
export class ParameterStoreSecrets implements SecretStore {
  readonly #client: SSMClient;
  readonly #sdk = ssmSdk();

  constructor(
    options:
      | { client: SSMClient; clientConfig?: never }
      | { client?: never; clientConfig: SSMClientConfig },
  ) {
    this.#client = options.client ?? new this.#sdk.SSMClient(options.clientConfig);
  }

  async get(name: string): Promise<string> {
    const parameter = parameterNameOf(name);
    try {
      const reply = await this.#client.send(
        new this.#sdk.GetParameterCommand({ Name: parameter, WithDecryption: true }),
      );
      const value = reply.Parameter?.Value;
      if (value === undefined) throw new SecretNotFoundError(parameter);
      return value;
    } catch (error) {
      if (error instanceof this.#sdk.ParameterNotFound) {
        throw new SecretNotFoundError(parameter, { cause: error });
      }
      throw error;
    }
  }
}
