import { ParameterStoreSecrets } from '../../shared/adapters/aws/parameter-store-secrets.ts';
import { secretsManagerSdk } from '../../shared/adapters/aws/sdk/secrets-manager.ts';
import { ssmSdk } from '../../shared/adapters/aws/sdk/ssm.ts';
import { SecretsManagerStore } from '../../shared/adapters/aws/secrets-manager-store.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import {
  PrefixedSecretStore,
  SECRET_NAME_PREFIX_ENV,
} from '../../shared/secrets/prefixed-secret-store.ts';
import { type SecretStoreKind, secretStoreKindOf } from '../../shared/secrets/secret-stores.ts';
import { CachedSecretStore, type SecretStore } from '../../shared/secrets/secrets.ts';

const secretsManager = (prefix: string): SecretStore =>
  new PrefixedSecretStore(new SecretsManagerStore({ clientConfig: {} }), prefix);

/**
 * Where each kind of deployment reads its secrets, `callhook/keys` included, under the stage's
 * prefix, and the SDK package it reads them with (loaded when `sdk` is first called).
 */
const SECRET_SOURCES: Record<
  SecretStoreKind,
  { store: (prefix: string) => SecretStore; sdk: () => unknown }
> = {
  'secrets-manager': { store: secretsManager, sdk: secretsManagerSdk },
  'parameter-store': {
    store: (prefix) =>
      new PrefixedSecretStore(
        new ParameterStoreSecrets({
          clientConfig: {},
          // Used all the same (a storage detail must not stop calls); `npm run doctor` says how
          // to make it a SecureString. The name only: never a value.
          onUnencrypted: (parameter) =>
            createLogger('secrets').warn(
              'a secret is a plain String parameter, stored unencrypted',
              { parameter },
            ),
        }),
        prefix,
      ),
    sdk: ssmSdk,
  },
};

/**
 * The SDK of the deployment's store, loaded now: a function that reads a secret on every
 * invocation calls this at import, so Lambda's init pays the load and not its first request.
 */
export const loadSecretStoreSdk = (env: NodeJS.ProcessEnv = process.env): void => {
  SECRET_SOURCES[secretStoreKindOf(env)].sdk();
};

/**
 * The deployment's secrets as the CDK app set them up (`CALLHOOK_SECRET_STORE`, the stage's
 * prefix), read afresh each time: for the probe, which must see a value just put.
 */
export const uncachedSecretStore = (env: NodeJS.ProcessEnv = process.env): SecretStore =>
  SECRET_SOURCES[secretStoreKindOf(env)].store(env[SECRET_NAME_PREFIX_ENV] ?? '');

/** The deployment's secrets, each value kept five minutes (`CachedSecretStore`). */
export const secretStore = (env: NodeJS.ProcessEnv = process.env) =>
  new CachedSecretStore(uncachedSecretStore(env));
