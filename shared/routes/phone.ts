import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import { ProblemError, quoteInput } from '../http/problem-error.ts';
import type { PhoneNumbering } from './phone-numbering.ts';

export interface PhoneRules {
  defaultCountry: CountryCode;
  /** Countries whose numbers may be called. */
  allowedCountries: readonly CountryCode[];
  /** Numbers never to call (the account's own virtual numbers), as E.164 digits. */
  forbidden: readonly string[];
  numbering: PhoneNumbering;
}

/**
 * The calling code of a number written in international form (`+49 30 …`) whose plan the
 * numbering does not carry. Calling codes are prefix-free, so at most one matches.
 */
const foreignCallingCode = (input: string, numbering: PhoneNumbering): string | undefined => {
  const international = /^\s*\+\s*(\d[\d\s().-]*)$/.exec(input);
  if (international === null) return undefined;
  const digits = (international[1] ?? '').replace(/\D/g, '');
  const code = numbering.callingCodes.find((candidate) => digits.startsWith(candidate));
  if (code === undefined || code in numbering.metadata.country_calling_codes) return undefined;
  return code;
};

/**
 * Types a public URL must never ring: premium-rate and shared-cost numbers cost the caller
 * money (the classic toll-fraud target), and a number whose type the numbering plan does not
 * know is refused rather than trusted.
 */
const REFUSED_TYPES: Record<string, string> = {
  PREMIUM_RATE: 'premium-rate',
  SHARED_COST: 'shared-cost',
};

/** `country`: an ISO code (`DE`), or a country code (`+49`) whose plan callhook does not carry. */
const countryNotAllowed = (country: string): ProblemError =>
  new ProblemError(
    'country_not_allowed',
    country.startsWith('+')
      ? `This route does not call numbers with the country code ${quoteInput(country)}.`
      : `This route does not call numbers in ${quoteInput(country)}.`,
  );

/**
 * Parses what a sender typed (`+7 (926) 000-00-00`, `8 926 000 00 00`, `9260000000`) into the
 * Call API's E.164 form (country code and number as digits, without the plus sign), and applies
 * the route's guardrails.
 */
export const normalisePhone = (input: unknown, rules: PhoneRules): string => {
  const digits = callablePhone(input, rules);
  if (rules.forbidden.includes(digits)) throw ownNumber();
  return digits;
};

export const ownNumber = (): ProblemError =>
  new ProblemError('own_number', "The number is one of the account's own virtual numbers.");

/** `normalisePhone` short of the own numbers: a valid number of an allowed country and type. */
export const callablePhone = (input: unknown, rules: Omit<PhoneRules, 'forbidden'>): string => {
  if (typeof input === 'number' && Number.isSafeInteger(input)) {
    return callablePhone(String(input), rules);
  }
  if (typeof input !== 'string' || input.trim() === '') {
    throw new ProblemError('invalid_phone', 'The event has no phone number.');
  }
  const parsed = parsePhoneNumberFromString(input, rules.defaultCountry, rules.numbering.metadata);
  if (parsed === undefined) {
    const foreign = foreignCallingCode(input, rules.numbering);
    if (foreign !== undefined) throw countryNotAllowed(`+${foreign}`);
  }
  if (parsed === undefined || !parsed.isValid()) {
    throw new ProblemError('invalid_phone', 'The phone number cannot be parsed as a valid number.');
  }
  const country = parsed.country;
  if (country === undefined || !rules.allowedCountries.includes(country)) {
    throw countryNotAllowed(country ?? `+${parsed.countryCallingCode}`);
  }
  const type = parsed.getType();
  if (type === undefined)
    throw new ProblemError(
      'number_type_not_allowed',
      `callhook does not call ${'unknown-type'} numbers.`,
    );
  const refused = REFUSED_TYPES[type];
  if (refused !== undefined)
    throw new ProblemError('number_type_not_allowed', `callhook does not call ${refused} numbers.`);
  return parsed.number.slice(1);
};
