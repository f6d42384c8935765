import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { InvalidPhoneError } from '../http/problem-error.ts';

/**
 * Parses what a sender typed (`+7 (926) 000-00-00`, `8 926 000 00 00`, `9260000000`) into the
 * Call API's E.164 form: country code and number as digits, without the plus sign.
 */
export const normalisePhone = (input: unknown, defaultCountry: CountryCode): string => {
  if (typeof input === 'number' && Number.isSafeInteger(input)) {
    return normalisePhone(String(input), defaultCountry);
  }
  if (typeof input !== 'string' || input.trim() === '') {
    throw new InvalidPhoneError('The event has no phone number.');
  }
  const parsed = parsePhoneNumberFromString(input, defaultCountry);
  if (parsed === undefined || !parsed.isValid()) {
    throw new InvalidPhoneError('The phone number cannot be parsed as a valid number.');
  }
  return parsed.number.slice(1);
};
