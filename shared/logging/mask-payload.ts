import { maskContactIn, maskPhone } from './mask.ts';

/**
 * How a field of a sender's payload is shown to operators, judged by the words of its name
 * (`apiKey`, `api_key` and `API-Key` are the words `api` and `key`), so that `author` is not
 * taken for `auth` nor `hotel` for `tel`.
 */
const wordsOf = (name: string): string[] =>
  name
    .split(/[^\p{L}\p{N}]+|(?<=[\p{Ll}\p{N}])(?=\p{Lu})/u)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());

/** Words that make a field's value a secret wherever it is: never kept, `***` in its place. */
const SECRET_WORDS = new Set([
  'secret',
  'token',
  'password',
  'passwd',
  'pass',
  'pwd',
  'signature',
  'sig',
  'hmac',
  'key',
  'apikey',
  'auth',
  'authorization',
  'credential',
  'credentials',
  'cookie',
  'card',
  'creditcard',
  'cvv',
  'cvc',
  'cvv2',
  'pin',
  'otp',
  'iban',
  'ssn',
  'captcha',
  'recaptcha',
  'hcaptcha',
  'turnstile',
]);

/** Words that make a field a phone number's: masked to its last 4 digits when it holds some. */
const PHONE_WORDS = new Set([
  'phone',
  'telephone',
  'tel',
  'mobile',
  'msisdn',
  'cell',
  'cellphone',
  'whatsapp',
  'viber',
  'contact',
  'telefon',
  'телефон',
  'тел',
]);

/** Whether one of a name's words, or its singular (`tokens`), is in `words`. */
const named = (words: readonly string[], set: ReadonlySet<string>): boolean =>
  words.some((word) => set.has(word) || (word.endsWith('s') && set.has(word.slice(0, -1))));

/** What a field's name says its value is: a secret, a phone number, or neither. */
export type NameKind = 'secret' | 'phone' | undefined;

export const kindOfName = (name: string): NameKind => {
  const words = wordsOf(name);
  return named(words, SECRET_WORDS) ? 'secret' : named(words, PHONE_WORDS) ? 'phone' : undefined;
};

export const isSecretName = (name: string): boolean => kindOfName(name) === 'secret';

export const isPhoneName = (name: string): boolean => kindOfName(name) === 'phone';

/** Digits and the marks numbers are written with, nothing else: a whole value that may be a phone. */
const PHONE_SHAPE = /^\s*\+?[\d\s().-]+$/;
/** A run of 10 to 15 digits in free text, spaces, dots, dashes and brackets between them. */
const PHONE_RUN = /(?<![\d])\+?\d(?:[\s().-]{0,2}\d){9,14}(?![\d])/g;
/** Dates are written with digits too: a value or run holding one is not a phone. */
const DATE = /\d{4}-\d\d-\d\d|\d\d[./-]\d\d[./-]\d{4}/;

const digitsOf = (text: string): string => text.replace(/\D/g, '');

/** How many digits a text holds, without building anything. */
export const digitCount = (text: string): number => {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) count += 1;
  }
  return count;
};

/** A number's one masked shape (`shared/logging/mask.ts`): its digits, all but the last 4 starred. */
export const maskedNumber = (text: string): string => maskPhone(digitsOf(text));

/** An e-mail address: the first character of its mailbox is kept, and its domain. */
const EMAIL = /([\p{L}\p{N}_%+-])[\p{L}\p{N}._%+-]*@((?:[\p{L}\p{N}-]+\.)+[\p{L}]{2,})/gu;

/**
 * A text with every contact in it masked: phone numbers to their last 4 digits (the whole value
 * when it is one: 7 to 15 digits and only the marks numbers are written with; else each run of
 * 10 to 15 digits, and the call's contact however it is written; dates are left as they are),
 * and e-mail addresses to the first character of their mailbox and their domain
 * (`a***@example.com`).
 */
export const maskContactsIn = (text: string, contact: string | undefined): string => {
  const digits = digitCount(text);
  const email = text.includes('@');
  // Fewer digits than the shortest contact `maskContactIn` looks for, and no `@`: most texts
  // stop here.
  if (digits < 5 && !email) return text;
  if (!email && PHONE_SHAPE.test(text) && digits >= 7 && digits <= 15 && !DATE.test(text))
    return maskedNumber(text);
  // Runs first, so a number is masked whole in the one shape; then the contact where it is
  // glued to other digits, which no run takes for a number.
  const phones =
    digits < 5
      ? text
      : maskContactIn(
          text.replace(PHONE_RUN, (run) => (DATE.test(run) ? run : maskedNumber(run))),
          contact,
        );
  return email ? phones.replace(EMAIL, '$1***@$2') : phones;
};

/** Whether a number is the contact's, written with or without its country code. */
export const isContactNumber = (value: number, contact: string | undefined): boolean => {
  const digits = contact === undefined ? '' : digitsOf(contact);
  if (digits.length < 5 || !Number.isSafeInteger(value)) return false;
  const text = String(Math.abs(value));
  return text === digits || (text.length >= 7 && digits.endsWith(text));
};
