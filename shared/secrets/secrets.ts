/** Port: named secrets (Secrets Manager on AWS, a JSON file locally). Values are never logged. */
export interface SecretStore {
  /** The secret's value as text; throws `SecretNotFoundError` when it does not exist. */
  get(name: string): Promise<string>;
}

export class SecretNotFoundError extends Error {
  constructor(name: string, options?: ErrorOptions) {
    super(`secret "${name}" does not exist`, options);
    this.name = 'SecretNotFoundError';
  }
}

/** Caches each value for `ttlMs`, so a warm function reads a secret once per interval. */
/** How long a secret's value is used before it is read again: a rotation's delay. */
export const SECRET_CACHE_MS = 5 * 60_000;

export class CachedSecretStore implements SecretStore {
  readonly #inner: SecretStore;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #cache = new Map<string, { value: Promise<string>; expiresAt: number }>();

  constructor(inner: SecretStore, ttlMs = SECRET_CACHE_MS, now: () => number = Date.now) {
    this.#inner = inner;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  get(name: string): Promise<string> {
    const now = this.#now();
    const hit = this.#cache.get(name);
    if (hit !== undefined && hit.expiresAt > now) return hit.value;
    const value = this.#inner.get(name);
    this.#cache.set(name, { value, expiresAt: now + this.#ttlMs });
    // A failed read must not be cached.
    value.catch(() => {
      if (this.#cache.get(name)?.value === value) this.#cache.delete(name);
    });
    return value;
  }
}
