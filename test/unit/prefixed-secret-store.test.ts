import { describe, expect, it } from 'vitest';
import { PrefixedSecretStore } from '../../shared/secrets/prefixed-secret-store.ts';
import { SecretNotFoundError, type SecretStore } from '../../shared/secrets/secrets.ts';

/** Secrets by their stored names, and every name asked for. */
const storeOf = (values: Record<string, string>) => {
  const asked: string[] = [];
  const store: SecretStore = {
    get: async (name) => {
      asked.push(name);
      const value = values[name];
      if (value === undefined) throw new SecretNotFoundError(name);
      return value;
    },
  };
  return { store, asked };
};

describe('Secrets under a stage', () => {
  it("reads the config's name under the stage's prefix", async () => {
    const { store, asked } = storeOf({ 'staging--callhook/uis': 'staged', 'callhook/uis': 'bare' });

    const staged = new PrefixedSecretStore(store, 'staging--');

    await expect(staged.get('callhook/uis')).resolves.toBe('staged');
    expect(asked).toEqual(['staging--callhook/uis']);
  });

  it('reads the name as it is with no stage', async () => {
    const { store } = storeOf({ 'callhook/uis': 'bare' });
    await expect(new PrefixedSecretStore(store, '').get('callhook/uis')).resolves.toBe('bare');
  });

  it('names the secret as it is stored when it is missing', async () => {
    const { store } = storeOf({ 'callhook/uis': 'the unstaged one does not count' });
    await expect(new PrefixedSecretStore(store, 'prod--').get('callhook/uis')).rejects.toThrow(
      'secret "prod--callhook/uis" does not exist',
    );
  });
});
