import { ParameterStoreSecrets } from '../../shared/adapters/aws/parameter-store-secrets.ts';
import { SecretsManagerStore } from '../../shared/adapters/aws/secrets-manager-store.ts';
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
 * prefix. SSM's client is loaded only when its entry is built.
 */
const SECRET_SOURCES: Record<SecretStoreKind, (prefix: string) => SecretStore> = {
  'secrets-manager': secretsManager,
  'parameter-store': (prefix) =>
    new PrefixedSecretStore(new ParameterStoreSecrets({ clientConfig: {} }), prefix),
};

/**
 * The deployment's secrets as the CDK app set them up (`CALLHOOK_SECRET_STORE`, the stage's
 * prefix), read afresh each time: for the probe, which must see a value just put.
 */
export const uncachedSecretStore = (env: NodeJS.ProcessEnv = process.env): SecretStore =>
  SECRET_SOURCES[secretStoreKindOf(env)](env[SECRET_NAME_PREFIX_ENV] ?? '');

/** The deployment's secrets, each value kept five minutes (`CachedSecretStore`). */
export const secretStore = (env: NodeJS.ProcessEnv = process.env) =>
  new CachedSecretStore(uncachedSecretStore(env));
