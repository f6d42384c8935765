import { describe, expect, it } from 'vitest';
import { OWN_KEYS_SECRET } from '../../shared/secrets/own-keys.ts';
import {
  readOwnKey,
  SecretUnusableError,
  SHAPE_CHECKS,
} from '../../shared/secrets/secret-shapes.ts';
import {
  CachedSecretStore,
  SecretNotFoundError,
  type SecretStore,
} from '../../shared/secrets/secrets.ts';

class CountingStore implements SecretStore {
  reads = 0;
  failNext = false;
  async get(name: string): Promise<string> {
    this.reads += 1;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('throttled');
    }
    return `value-of-${name}`;
  }
}

describe('Class: CachedSecretStore', () => {
  it('reads a secret once within its time to live', async () => {
    const inner = new CountingStore();
    let now = 0;
    const cached = new CachedSecretStore(inner, 1_000, () => now);

    await cached.get('a');
    now = 999;
    await cached.get('a');

    expect(inner.reads).toBe(1);
  });

  it('reads it again once expired', async () => {
    const inner = new CountingStore();
    let now = 0;
    const cached = new CachedSecretStore(inner, 1_000, () => now);

    await cached.get('a');
    now = 1_000;
    await cached.get('a');

    expect(inner.reads).toBe(2);
  });

  it('does not cache a failed read', async () => {
    const inner = new CountingStore();
    const cached = new CachedSecretStore(inner, 1_000, () => 0);
    inner.failNext = true;

    await expect(cached.get('a')).rejects.toThrow('throttled');
    await expect(cached.get('a')).resolves.toBe('value-of-a');
  });
});

/** A store holding one value for the keys secret, counting its reads. */
const keysStore = (text: string | undefined) => {
  const store = {
    reads: 0,
    async get(name: string): Promise<string> {
      store.reads += 1;
      if (name !== OWN_KEYS_SECRET || text === undefined) throw new SecretNotFoundError(name);
      return text;
    },
  };
  return store;
};
const ADMIN = 'A'.repeat(8) + 'b'.repeat(8) + 'C'.repeat(8) + 'd'.repeat(8);
const HASH = 'e'.repeat(8) + 'F'.repeat(8) + 'g'.repeat(8) + 'H'.repeat(8);

describe('The keys callhook makes for itself, in one secret', () => {
  it('takes each key from its own slice of the value Secrets Manager generated', async () => {
    const store = new CachedSecretStore(keysStore(JSON.stringify({ generated: ADMIN + HASH })));

    expect(await readOwnKey(store, 'admin_key')).toBe(ADMIN);
    expect(await readOwnKey(store, 'contact_hash_key')).toBe(HASH);
  });

  it('takes a key the secret names itself over its slice: a rotated admin key keeps the hash key', async () => {
    const text = JSON.stringify({ generated: ADMIN + HASH, admin_key: 'rotated-admin-key' });
    const store = keysStore(text);

    expect(await readOwnKey(store, 'admin_key')).toBe('rotated-admin-key');
    expect(await readOwnKey(store, 'contact_hash_key')).toBe(HASH);
    // The values copied from the two secrets of before need no generated value.
    const copied = keysStore(
      JSON.stringify({ admin_key: 'old!admin#key', contact_hash_key: HASH }),
    );
    expect(await readOwnKey(copied, 'admin_key')).toBe('old!admin#key');
  });

  it('reads the secret once for both keys through the cache', async () => {
    const inner = keysStore(JSON.stringify({ generated: ADMIN + HASH }));
    const store = new CachedSecretStore(inner);

    await readOwnKey(store, 'admin_key');
    await readOwnKey(store, 'contact_hash_key');

    expect(inner.reads).toBe(1);
  });

  it.each([
    ['is missing', undefined, 'secret "callhook/keys" does not exist'],
    ['is not JSON', ADMIN + HASH, 'must be a JSON object'],
    [
      'has a generated value too short to slice',
      JSON.stringify({ generated: HASH }),
      'nor a "generated" of 64 characters',
    ],
    [
      'has a key that is not text',
      JSON.stringify({ contact_hash_key: 7 }),
      'holds a key "contact_hash_key" that is not text',
    ],
    [
      'has a hash key too short to use',
      JSON.stringify({ contact_hash_key: 'short' }),
      'holds a key "contact_hash_key" that must hold at least 16 characters',
    ],
  ])('refuses a secret that %s, naming it and never its value', async (_, text, message) => {
    const error = await readOwnKey(keysStore(text), 'contact_hash_key').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SecretUnusableError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toMatch(/eeee|short/);
  });

  it('holds a whole secret to every key when the doctor checks it, and a reader to its own', async () => {
    const text = JSON.stringify({ generated: ADMIN + HASH, admin_key: ' padded ' });

    expect(SHAPE_CHECKS['own-keys'](text)).toBe(
      'holds a key "admin_key" that has spaces or line breaks around it',
    );
    expect(await readOwnKey(keysStore(text), 'contact_hash_key')).toBe(HASH);
  });
});
