import { parseJsonOrUndefined } from '../json/parse-json.ts';

/**
 * The one secret that holds the keys callhook makes for itself (one secret is $0.40 a month,
 * not one per key; with `secretStore=parameter-store`, the `SecureString` parameter
 * `/callhook/keys`, at nothing). Locally these keys live elsewhere: `local-admin-key` or
 * `CALLHOOK_ADMIN_KEY`, and a file in the data directory (`infra/local/`).
 */
export const OWN_KEYS_SECRET = 'callhook/keys';

/** A key callhook makes for itself: its name in the secret's JSON. */
export type OwnKey = 'admin_key' | 'contact_hash_key';

/**
 * The field Secrets Manager fills at the first deploy. It generates one random value per
 * secret (`GenerateStringKey` takes a single field), so each key is its own slice of it: the
 * slices are independent random characters, and knowing one tells nothing of another.
 */
export const GENERATED_FIELD = 'generated';
/** Characters per key in the generated value. */
export const GENERATED_SLICE = 32;

/** What each key must hold, and which slice of the generated value it is unless set. */
export const OWN_KEYS: Record<
  OwnKey,
  { shape: 'token' | 'hash-key'; slice: number; purpose: string }
> = {
  admin_key: { shape: 'token', slice: 0, purpose: 'the admin key of /calls' },
  contact_hash_key: { shape: 'hash-key', slice: 1, purpose: "the per-number cap's hash key" },
};

/** How long the generated value is: a slice for each key. */
export const GENERATED_LENGTH = Object.keys(OWN_KEYS).length * GENERATED_SLICE;

/**
 * A key's value in the secret's text: its own field when the JSON has one (a rotated admin key,
 * or values copied from the separate secrets of before), else its slice of the generated value.
 * Otherwise what is wrong, in words that never repeat a value.
 */
export const ownKeyIn = (text: string, key: OwnKey): { value: string } | { problem: string } => {
  const json = parseJsonOrUndefined(text);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return {
      problem: `must be a JSON object: {"${GENERATED_FIELD}": "..."} or {"admin_key": "...", "contact_hash_key": "..."}`,
    };
  }
  const fields = json as Record<string, unknown>;
  const own = fields[key];
  if (own !== undefined) {
    return typeof own === 'string'
      ? { value: own }
      : { problem: `holds a key "${key}" that is not text` };
  }
  const generated = fields[GENERATED_FIELD];
  if (typeof generated !== 'string' || generated.length < GENERATED_LENGTH) {
    return {
      problem: `has no "${key}", nor a "${GENERATED_FIELD}" of ${GENERATED_LENGTH} characters to take it from`,
    };
  }
  const start = OWN_KEYS[key].slice * GENERATED_SLICE;
  return { value: generated.slice(start, start + GENERATED_SLICE) };
};

/** The letters and digits the generated value is drawn from, as Secrets Manager draws it. */
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** The bytes kept: below the largest multiple of 62, so each character is equally likely. */
const UNBIASED_BELOW = 256 - (256 % ALPHANUMERIC.length);

/**
 * The keys' value as the stack generates it where Secrets Manager cannot (Parameter Store):
 * `{"generated": "<GENERATED_LENGTH letters and digits>"}`, the shape Secrets Manager generates,
 * each character drawn on its own from `randomBytes` (node:crypto's, or a test's).
 */
export const generatedOwnKeys = (randomBytes: (size: number) => Uint8Array): string => {
  let generated = '';
  while (generated.length < GENERATED_LENGTH) {
    for (const byte of randomBytes(GENERATED_LENGTH)) {
      if (byte < UNBIASED_BELOW && generated.length < GENERATED_LENGTH) {
        generated += ALPHANUMERIC[byte % ALPHANUMERIC.length];
      }
    }
  }
  return JSON.stringify({ [GENERATED_FIELD]: generated });
};
