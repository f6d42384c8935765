import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two secrets in time that depends on neither's content nor length: both sides are
 * hashed to a fixed length first, since `timingSafeEqual` itself requires equal lengths.
 */
export const constantTimeEqual = (given: string | Buffer, expected: string | Buffer): boolean => {
  const digest = (value: string | Buffer) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
};
