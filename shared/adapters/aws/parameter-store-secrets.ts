import { parameterNameOf } from '../../secrets/secret-stores.ts';
import { SecretNotFoundError, type SecretStore } from '../../secrets/secrets.ts';
import { type SSMClient, type SSMClientConfig, ssmSdk } from './sdk/ssm.ts';

/**
 * SSM Parameter Store behind the secrets port: each secret is the `SecureString` parameter of
 * `parameterNameOf` its name, read decrypted. Wrap it in `CachedSecretStore`, as Secrets Manager
 * is: a standard-tier account shares about 40 reads a second across every caller in the region.
 * Given a client config, it loads the SDK and makes its client on the first read (`ssmSdk`), so
 * a sweep with no due call loads neither.
 */
export class ParameterStoreSecrets implements SecretStore {
  #client: SSMClient | undefined;
  readonly #clientConfig: SSMClientConfig | undefined;
  /**
   * Told the name of a parameter read as a plain `String` (stored unencrypted): it is still
   * used, since a storage detail must not stop calls, but an operator should hear of it.
   */
  readonly #onUnencrypted: (parameter: string) => void;

  constructor(
    options: (
      | { client: SSMClient; clientConfig?: never }
      | { client?: never; clientConfig: SSMClientConfig }
    ) & { onUnencrypted?: (parameter: string) => void },
  ) {
    this.#client = options.client;
    this.#clientConfig = options.clientConfig;
    this.#onUnencrypted = options.onUnencrypted ?? (() => {});
  }

  #ssm(): SSMClient {
    this.#client ??= new (ssmSdk().SSMClient)(this.#clientConfig ?? {});
    return this.#client;
  }

  async get(name: string): Promise<string> {
    const { GetParameterCommand, ParameterNotFound } = ssmSdk();
    const parameter = parameterNameOf(name);
    try {
      const reply = await this.#ssm().send(
        new GetParameterCommand({ Name: parameter, WithDecryption: true }),
      );
      const value = reply.Parameter?.Value;
      if (value === undefined) throw new SecretNotFoundError(parameter);
      if (reply.Parameter?.Type !== 'SecureString') this.#onUnencrypted(parameter);
      return value;
    } catch (error) {
      if (error instanceof ParameterNotFound) {
        throw new SecretNotFoundError(parameter, { cause: error });
      }
      throw error;
    }
  }
}
