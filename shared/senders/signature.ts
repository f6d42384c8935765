import { createHmac } from 'node:crypto';
import { ProblemError } from '../http/problem-error.ts';
import type { RawRequest } from '../http/raw-request.ts';
import { constantTimeEqual } from './constant-time.ts';

export const hmac = (
  algorithm: 'sha256' | 'sha512',
  key: string | Buffer,
  data: string | Buffer,
): Buffer => createHmac(algorithm, key).update(data).digest();

/** The header's value; a missing or empty one is a missing credential, not a bad signature. */
export const requireHeader = (request: RawRequest, name: string): string => {
  const value = request.headers[name.toLowerCase()];
  if (value === undefined || value.trim() === '') {
    throw new ProblemError('unauthorized', `The request has no ${name} header.`);
  }
  return value.trim();
};

/** Refuses unless `given` equals one of the expected signatures, compared in constant time. */
export const requireMatch = (given: readonly string[], expected: string): void => {
  // Every candidate is compared, so the time does not reveal which one (if any) matched.
  let matched = false;
  for (const candidate of given) matched = constantTimeEqual(candidate, expected) || matched;
  if (!matched)
    throw new ProblemError('invalid_signature', 'The signature does not match the body.');
};

/** Refuses a signing time further than `toleranceSeconds` from now, either way. */
export const requireFresh = (timestamp: string, now: Date, toleranceSeconds: number): void => {
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  if (Number.isNaN(seconds))
    throw new ProblemError('invalid_signature', 'The signature timestamp is invalid.');
  if (Math.abs(now.getTime() / 1000 - seconds) > toleranceSeconds) {
    throw new ProblemError(
      'invalid_signature',
      'The signature timestamp is outside the tolerance.',
    );
  }
};
