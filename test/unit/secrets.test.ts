import { describe, expect, it } from 'vitest';
import { CachedSecretStore, type SecretStore } from '../../shared/secrets/secrets.ts';

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
