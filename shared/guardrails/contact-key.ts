import { createHmac } from 'node:crypto';

/**
 * Where the per-number cap keeps a number: an HMAC under a per-deployment key (on AWS the keys
 * secret's `contact_hash_key`, `shared/secrets/own-keys.ts`; locally a file with the data), so
 * the table answers "how many calls" and not "which numbers". A bare hash of a phone number is
 * reversed by trying every number of a country's plan (minutes on one core); without the key,
 * it is not.
 */
export const contactKeyOf = (hashKey: string, contact: string): string =>
  createHmac('sha256', hashKey).update(contact, 'utf8').digest('hex');
