import { describe, expect, it } from 'vitest';
import { createOwnKeysParameterHandler } from '../../functions/own-keys-parameter/handler.ts';
import {
  GENERATED_FIELD,
  GENERATED_LENGTH,
  generatedOwnKeys,
  OWN_KEYS_SECRET,
} from '../../shared/secrets/own-keys.ts';
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

describe('The keys generated where Secrets Manager cannot (`generatedOwnKeys`, parameter-store)', () => {
  const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

  it('drops the bytes at and above the largest multiple of 62 (248), so no character is likelier', () => {
    // 248-255 would map to A-H a fifth time over (248 % 62 = 0): a biased draw keeps them.
    const rejected = [248, 249, 250, 251, 252, 253, 254, 255];
    const kept = Array.from({ length: GENERATED_LENGTH }, (_, i) => (i * 5) % 248);
    let calls = 0;
    const value = generatedOwnKeys((size) => {
      calls += 1;
      // The first draw holds only bytes to reject, then kept ones among rejected.
      if (calls === 1) return Uint8Array.from({ length: size }, (_, i) => rejected[i % 8] ?? 255);
      return Uint8Array.from(kept.flatMap((byte) => [255, byte]).slice(0, size * 2));
    });
    const expected = kept.map((byte) => ALPHANUMERIC[byte % 62]).join('');
    // Only the kept bytes, each its own character, all from the later draws.
    const generated = (JSON.parse(value) as Record<string, string>)[GENERATED_FIELD] ?? '';
    expect(generated).toHaveLength(GENERATED_LENGTH);
    expect(generated).toBe(expected.slice(0, GENERATED_LENGTH));
    expect(SHAPE_CHECKS['own-keys'](value)).toBeUndefined();
  });
});

describe('The custom resource that puts callhook/keys (functions/own-keys-parameter)', () => {
  const putsOf = () => {
    const puts: string[] = [];
    const onEvent = createOwnKeysParameterHandler({
      putNew: async (name) => {
        puts.push(name);
        return 'created';
      },
      randomBytes: (size) => new Uint8Array(size),
    });
    return { puts, onEvent };
  };

  it('puts the parameter under a new name when an Update moves it: the functions read the new name', async () => {
    const { puts, onEvent } = putsOf();
    // The functions' grants and CALLHOOK_SECRET_NAME_PREFIX follow the new name at this deploy.
    await onEvent({
      RequestType: 'Update',
      PhysicalResourceId: '/callhook/keys',
      ResourceProperties: { ParameterName: '/renamed/callhook/keys' },
      OldResourceProperties: { ParameterName: '/callhook/keys' },
    });
    expect(puts).toEqual(['/renamed/callhook/keys']);
  });

  it('puts nothing on an Update that keeps the name, nor on Delete', async () => {
    const { puts, onEvent } = putsOf();
    await onEvent({
      RequestType: 'Update',
      PhysicalResourceId: '/callhook/keys',
      ResourceProperties: { ParameterName: '/callhook/keys' },
      OldResourceProperties: { ParameterName: '/callhook/keys' },
    });
    await onEvent({
      RequestType: 'Delete',
      PhysicalResourceId: '/callhook/keys',
      ResourceProperties: { ParameterName: '/callhook/keys' },
    });
    expect(puts).toEqual([]);
  });
});
