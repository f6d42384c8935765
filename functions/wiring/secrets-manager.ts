import { SecretsManagerStore } from '../../shared/adapters/aws/secrets-manager-store.ts';
import { CachedSecretStore } from '../../shared/config/secrets.ts';

export const secretStore = () =>
  new CachedSecretStore(new SecretsManagerStore({ clientConfig: {} }));
