import { maskContactIn, maskPhone } from './mask.ts';

/** Names of fields whose values are secrets wherever they appear: never shown. */
const SECRET_NAME = /secret|token|passw|api[_-]?key|auth|signature|credential|cookie|session_key/i;
/** Names of fields that hold a phone number: shown masked to their last 4 digits. */
const PHONE_NAME = /phone|contact|^operator$|tel|mobile|msisdn/i;

/** Deeper than this, a value is cut: a payload that nests so deep is not one to read. */
const MAX_DEPTH = 8;

/**
 * A copy of `value` safe to show an operator: fields named like a secret hidden, fields named
 * like a phone masked to their last 4 digits, and the contact masked wherever a text names it.
 */
export const maskFields = (value: unknown, contact: string | undefined, depth = 0): unknown => {
  if (depth > MAX_DEPTH) return '…';
  if (typeof value === 'string') return maskContactIn(value, contact);
  if (Array.isArray(value)) return value.map((item) => maskFields(item, contact, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, field]) => {
      if (SECRET_NAME.test(name) && field !== null && typeof field !== 'boolean')
        return [name, '***'];
      // One shape for every masked number: its digits, all but the last 4 as stars.
      if (PHONE_NAME.test(name) && (typeof field === 'string' || typeof field === 'number'))
        return [name, maskPhone(String(field).replace(/\D/g, ''))];
      return [name, maskFields(field, contact, depth + 1)];
    }),
  );
};
