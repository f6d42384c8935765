import { SecretsManagerStore } from '../../shared/adapters/aws/secrets-manager-store.ts';
import {
  PrefixedSecretStore,
  SECRET_NAME_PREFIX_ENV,
} from '../../shared/secrets/prefixed-secret-store.ts';
import { CachedSecretStore } from '../../shared/secrets/secrets.ts';

/** Secrets Manager, cached, under the deployment's stage (none: the config's names as they are). */
export const secretStore = (env: NodeJS.ProcessEnv = process.env) =>
  new CachedSecretStore(
    new PrefixedSecretStore(
      new SecretsManagerStore({ clientConfig: {} }),
      env[SECRET_NAME_PREFIX_ENV] ?? '',
    ),
  );
