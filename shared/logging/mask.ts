/** Hides all but the last 4 digits of a phone number, keeping its length visible. */
export const maskPhone = (phone: string): string => {
  const visible = 4;
  if (phone.length <= visible) return '*'.repeat(phone.length);
  return '*'.repeat(phone.length - visible) + phone.slice(-visible);
};

/** The national significant part of a number is at most this long (E.164 allows 15 digits). */
const NATIONAL_DIGITS = 10;

/**
 * Masks the contact wherever a provider's free text names it (`contact_in_blacklist` messages
 * quote the number called), as written in full or without its country code. Masked by what it
 * is, not by the shape of digits: an id, a session or a request id in the same text stays whole
 * and searchable.
 */
export const maskContactIn = (text: string, contact: string | undefined): string => {
  const digits = contact?.replace(/\D/g, '') ?? '';
  if (digits.length < 5) return text;
  const forms = [...new Set([digits, digits.slice(-NATIONAL_DIGITS)])].sort(
    (a, b) => b.length - a.length,
  );
  let masked = text;
  for (const form of forms) masked = masked.split(form).join(maskPhone(form));
  return masked;
};
