import { describe, expect, it } from 'vitest';
import { PrefixedSecretStore } from '../../shared/secrets/prefixed-secret-store.ts';
import {
  parameterNameProblem,
  SECRET_STORE_ENV,
  secretStoreKindOf,
} from '../../shared/secrets/secret-stores.ts';
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

describe('Secrets in Parameter Store', () => {
  it('reads the kind the stack set, Secrets Manager when none, and refuses an unknown one', () => {
    expect(secretStoreKindOf({})).toBe('secrets-manager');
    expect(secretStoreKindOf({ [SECRET_STORE_ENV]: 'parameter-store' })).toBe('parameter-store');
    expect(() => secretStoreKindOf({ [SECRET_STORE_ENV]: 'vault' })).toThrow(/"vault"/);
  });

  it.each([
    ['/callhook/shopify', undefined],
    ['/staging--callhook/uis-access-key', undefined],
    ['/callhook/a+b', 'may hold only letters, digits and /_.- in Parameter Store'],
    ['/callhook/a@b', 'may hold only letters, digits and /_.- in Parameter Store'],
    ['/AWS-keys', 'may not start with "aws" or "ssm" in Parameter Store'],
    ['/ssm/token', 'may not start with "aws" or "ssm" in Parameter Store'],
    ['//callhook/shopify', 'may have no empty level ("//", a trailing "/") in Parameter Store'],
    ['/callhook//shopify', 'may have no empty level ("//", a trailing "/") in Parameter Store'],
    ['/callhook/', 'may have no empty level ("//", a trailing "/") in Parameter Store'],
    [`/${'a/'.repeat(15)}b`, 'may be at most 15 levels deep in Parameter Store'],
    [`/${'a'.repeat(947)}`, 'may be at most 947 characters in Parameter Store'],
  ])('%s: %s', (name, problem) => {
    expect(parameterNameProblem(name)).toBe(problem);
  });
});
