import { CallApiCredentials } from '../backends/callapi/api/account.ts';
import { DataApiCredentials } from '../backends/callapi/data-api/credentials.ts';
import { parseJsonOrUndefined } from '../json/parse-json.ts';
import { SecretNotFoundError, type SecretStore } from './secrets.ts';

/** What a secret must hold for the code that reads it. */
export type SecretShape =
  | 'callapi-credentials'
  | 'dataapi-key'
  | 'token'
  | 'signing-key'
  | 'standard-webhooks-key'
  | 'hash-key';

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
  'hash-key': (value) =>
    plainTextProblem(value) ?? (value.length < 16 ? 'must hold at least 16 characters' : undefined),
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

/** Reads a secret and checks its shape; fails with `SecretUnusableError` naming it. */
export const readSecret = async (
  secrets: SecretStore,
  name: string,
  shape: SecretShape,
): Promise<string> => {
  let value: string;
  try {
    value = await secrets.get(name);
  } catch (error) {
    if (error instanceof SecretNotFoundError) {
      throw new SecretUnusableError(name, undefined, { cause: error });
    }
    throw error;
  }
  const problem = SHAPE_CHECKS[shape](value);
  if (problem !== undefined) throw new SecretUnusableError(name, problem);
  return value;
};

/**
 * A call backend cannot use its account's secret: a configuration error that retrying cannot
 * fix, so the call fails at once (and the provider-configuration alarm counts it).
 */
export const secretMnemonic = (error: SecretUnusableError): 'secret_missing' | 'secret_invalid' =>
  error.missing ? 'secret_missing' : 'secret_invalid';
