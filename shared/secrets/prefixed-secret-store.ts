import type { SecretStore } from './secrets.ts';

/**
 * The environment variable holding what every secret name starts with on AWS: empty (unset)
 * without a stage, `<stage>--` with one (`infra/aws/stage-names.ts`). The CDK app sets it on
 * every function, so the compiled config keeps the names its author wrote.
 */
export const SECRET_NAME_PREFIX_ENV = 'CALLHOOK_SECRET_NAME_PREFIX';

/** Reads each secret under `prefix` + its name; errors name the secret as it is stored. */
export class PrefixedSecretStore implements SecretStore {
  readonly #inner: SecretStore;
  readonly #prefix: string;

  constructor(inner: SecretStore, prefix: string) {
    this.#inner = inner;
    this.#prefix = prefix;
  }

  get(name: string): Promise<string> {
    return this.#inner.get(`${this.#prefix}${name}`);
  }
}
