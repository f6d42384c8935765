import { CallApiCredentials } from '../backends/callapi/api/account.ts';
import { DataApiCredentials } from '../backends/callapi/data-api/credentials.ts';
import { parseJsonOrUndefined } from '../json/parse-json.ts';
import { OWN_KEYS, OWN_KEYS_SECRET, type OwnKey, ownKeyIn } from './own-keys.ts';
import { SecretNotFoundError, type SecretStore } from './secrets.ts';

/** What a secret must hold for the code that reads it. */
export type SecretShape =
  | 'callapi-credentials'
  | 'dataapi-key'
  | 'token'
  | 'signing-key'
  | 'standard-webhooks-key'
  | 'hash-key'
  | 'own-keys';

const WHSEC = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

/**
 * What any text secret must not be: blank, padded with spaces (a header value never carries
 * them, so such a token never matches, and a padded key is another key), or a JSON object
 * (Secrets Manager's key/value form, which would make the JSON text itself the key).
 */
const plainTextProblem = (value: string): string | undefined => {
  if (value.trim() === '') return 'is blank: anyone could sign with it';
  if (value.trim() !== value) return 'has spaces or line breaks around it';
  if (value.startsWith('{') && parseJsonOrUndefined(value) !== undefined) {
    return 'holds JSON; store the key itself as plain text';
  }
  return undefined;
};

const hashKeyProblem = (value: string): string | undefined =>
  plainTextProblem(value) ?? (value.length < 16 ? 'must hold at least 16 characters' : undefined);

/** The checks of the shapes the keys in the keys secret take. */
const OWN_KEY_CHECKS = { token: plainTextProblem, 'hash-key': hashKeyProblem } as const;

/**
 * One check per shape (a shape without one does not compile): undefined when the value fits,
 * otherwise what is wrong, in words that never repeat the value.
 */
export const SHAPE_CHECKS: Record<SecretShape, (value: string) => string | undefined> = {
  'callapi-credentials': (value) =>
    CallApiCredentials.safeParse(parseJsonOrUndefined(value)).success
      ? undefined
      : 'must be JSON {"access_token": "..."} or {"login": "...", "password": "..."}',
  'dataapi-key': (value) =>
    DataApiCredentials.safeParse(parseJsonOrUndefined(value)).success
      ? undefined
      : 'must be JSON {"access_token": "..."}',
  token: plainTextProblem,
  'signing-key': plainTextProblem,
  'standard-webhooks-key': (value) => {
    const base64 = WHSEC.exec(value)?.[1];
    if (base64 === undefined) return 'must be "whsec_" followed by base64, and nothing around it';
    return Buffer.from(base64, 'base64').length < 16 ? 'holds a key under 16 bytes' : undefined;
  },
  'hash-key': hashKeyProblem,
  'own-keys': (value) => {
    for (const key of Object.keys(OWN_KEYS) as OwnKey[]) {
      const found = checkedOwnKey(value, key);
      if ('problem' in found) return found.problem;
    }
    return undefined;
  },
};

/** A key callhook makes for itself, taken from the keys secret's text and checked. */
const checkedOwnKey = (text: string, key: OwnKey): { value: string } | { problem: string } => {
  const found = ownKeyIn(text, key);
  if ('problem' in found) return found;
  const problem = OWN_KEY_CHECKS[OWN_KEYS[key].shape](found.value);
  return problem === undefined ? found : { problem: `holds a key "${key}" that ${problem}` };
};

/** A secret that is missing or does not have the shape its reader needs. */
export class SecretUnusableError extends Error {
  readonly secretName: string;
  readonly missing: boolean;

  constructor(secretName: string, problem: string | undefined, options?: ErrorOptions) {
    super(
      problem === undefined
        ? `secret "${secretName}" does not exist`
        : `secret "${secretName}" ${problem}`,
      options,
    );
    this.name = 'SecretUnusableError';
    this.secretName = secretName;
    this.missing = problem === undefined;
  }
}

/** A secret's text; fails with `SecretUnusableError` when it does not exist. */
const textOf = async (secrets: SecretStore, name: string): Promise<string> => {
  try {
    return await secrets.get(name);
  } catch (error) {
    if (error instanceof SecretNotFoundError) {
      throw new SecretUnusableError(name, undefined, { cause: error });
    }
    throw error;
  }
};

/** Reads a secret and checks its shape; fails with `SecretUnusableError` naming it. */
export const readSecret = async (
  secrets: SecretStore,
  name: string,
  shape: SecretShape,
): Promise<string> => {
  const value = await textOf(secrets, name);
  const problem = SHAPE_CHECKS[shape](value);
  if (problem !== undefined) throw new SecretUnusableError(name, problem);
  return value;
};

/**
 * Reads one of the keys callhook makes for itself from the keys secret, and checks it alone: a
 * function that needs the contact hash key does not fail on the admin key. A cached store
 * reads the secret once for all its keys.
 */
export const readOwnKey = async (secrets: SecretStore, key: OwnKey): Promise<string> => {
  const found = checkedOwnKey(await textOf(secrets, OWN_KEYS_SECRET), key);
  if ('problem' in found) throw new SecretUnusableError(OWN_KEYS_SECRET, found.problem);
  return found.value;
};

/**
 * A call backend cannot use its account's secret: a configuration error that retrying cannot
 * fix, so the call fails at once (and the provider-configuration alarm counts it).
 */
export const secretMnemonic = (error: SecretUnusableError): 'secret_missing' | 'secret_invalid' =>
  error.missing ? 'secret_missing' : 'secret_invalid';
