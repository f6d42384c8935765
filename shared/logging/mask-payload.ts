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

/**
 * Names written as one word (`accesstoken`, `clientsecret`, `XAPIKEY`) end in a secret word: such
 * an ending makes the field a secret too. Over-masking a harmless field costs an operator one
 * value; missing a secret would keep it.
 */
const SECRET_ENDINGS = ['token', 'secret', 'password', 'passwd', 'apikey', 'privatekey'];
SECRET_WORDS.add('bearer').add('jwt').add('passphrase');

/** Whether one of a name's words, or its singular (`tokens`), is in `words`. */
const named = (words: readonly string[], set: ReadonlySet<string>): boolean =>
  words.some((word) => set.has(word) || (word.endsWith('s') && set.has(word.slice(0, -1))));

/** What a field's name says its value is: a secret, a phone number, or neither. */
export type NameKind = 'secret' | 'phone' | undefined;

const endsSecret = (words: readonly string[]): boolean =>
  words.some((word) => SECRET_ENDINGS.some((ending) => word.replace(/s$/, '').endsWith(ending)));

export const kindOfName = (name: string): NameKind => {
  const words = wordsOf(name);
  if (named(words, SECRET_WORDS) || endsSecret(words)) return 'secret';
  return named(words, PHONE_WORDS) ? 'phone' : undefined;
};

export const isSecretName = (name: string): boolean => kindOfName(name) === 'secret';

export const isPhoneName = (name: string): boolean => kindOfName(name) === 'phone';

/** Digits and the marks numbers are written with, nothing else: a whole value that may be a phone. */
const PHONE_SHAPE = /^\s*\+?[\d\s().-]+$/;
/**
 * A run of 10 to 15 digits in free text, with up to 3 of the marks numbers are written with
 * between them (`8 (926) 123 - 45 - 67`, `8/926/123/45/67`). Bounded, so a long text costs
 * linear time.
 */
const PHONE_RUN = /(?<![\d])\+?\d(?:[\s()./-]{0,3}\d){9,14}(?![\d])/g;
/**
 * A calendar date (`2026-12-01`, with its time; `01.12.2026`): written with digits too, kept as
 * it is. Only a real month and day count, so `+49 30 1234-56-78` is a number.
 */
const DATES =
  /(?<!\d)(?:\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?)?|(?:0[1-9]|[12]\d|3[01])[./-](?:0[1-9]|1[0-2])[./-]\d{4})(?!\d)/g;
const isDate = (text: string): boolean => {
  const trimmed = text.trim();
  return [...trimmed.matchAll(DATES)].some((match) => match[0].length === trimmed.length);
};

/** Phone-like runs masked in the pieces of a text between its dates. */
const maskRunsBetweenDates = (text: string): string => {
  let out = '';
  let from = 0;
  for (const match of text.matchAll(DATES)) {
    out += text.slice(from, match.index).replace(PHONE_RUN, maskedNumber);
    out += match[0];
    from = match.index + match[0].length;
  }
  return out + text.slice(from).replace(PHONE_RUN, maskedNumber);
};

/**
 * Digits of other scripts (`８`, `٨`, `८`) as ASCII digits, so that a number written in them is
 * masked like any other. Unicode's decimal digits come in runs of ten from zero.
 */
const asciiDigits = (text: string): string =>
  /[^\d\P{Nd}]/u.test(text)
    ? text.replace(/[^\d\P{Nd}]/gu, (digit) => {
        const point = digit.codePointAt(0) ?? 0;
        let zero = point;
        while (zero > 0 && /\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero -= 1;
        return String((point - zero) % 10);
      })
    : text;

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

/**
 * An e-mail address: the first character of its mailbox is kept, and its domain. Each part's
 * length is bounded (a mailbox is at most 64 characters), so a long text without an address
 * costs linear time, not quadratic.
 */
const EMAIL =
  /([\p{L}\p{N}_%+'!-])[\p{L}\p{N}._%+'!-]{0,63}@((?:[\p{L}\p{N}-]{1,63}\.){1,8}[\p{L}]{2,63}|localhost)/gu;

/**
 * A text with every contact in it masked: phone numbers to their last 4 digits (the whole value
 * when it is one: 7 to 15 digits and only the marks numbers are written with; else each run of
 * 10 to 15 digits, and the call's contact however it is written; dates are left as they are),
 * and e-mail addresses to the first character of their mailbox and their domain
 * (`a***@example.com`).
 */
export const maskContactsIn = (written: string, contact: string | undefined): string => {
  const text = asciiDigits(written);
  const digits = digitCount(text);
  const email = text.includes('@') || /%40/i.test(text);
  // Fewer digits than the shortest contact `maskContactIn` looks for, and no `@`: most texts
  // stop here.
  if (digits < 5 && !email) return written;
  if (!email && PHONE_SHAPE.test(text) && digits >= 7 && digits <= 15 && !isDate(text))
    return maskedNumber(text);
  // Runs first, so a number is masked whole in the one shape; then the contact where it is
  // glued to other digits, which no run takes for a number.
  const phones = digits < 5 ? text : maskContactIn(maskRunsBetweenDates(text), contact);
  return email
    ? phones
        .replace(EMAIL, '$1***@$2')
        .replace(/([\p{L}\p{N}])[\p{L}\p{N}._+-]{0,63}%40/gu, '$1***%40')
    : phones;
};

/** Whether a number is the contact's, written with or without its country code. */
export const isContactNumber = (value: number, contact: string | undefined): boolean => {
  const digits = contact === undefined ? '' : digitsOf(contact);
  if (digits.length < 5 || !Number.isSafeInteger(value)) return false;
  const text = String(Math.abs(value));
  // With or without its country code, or with a trunk prefix in its place (`8 926…` for `+7 926…`).
  const national = digits.slice(-10);
  return (
    text === digits ||
    (text.length >= 7 && digits.endsWith(text)) ||
    (national.length === 10 && text.length > 10 && text.length <= 12 && text.endsWith(national))
  );
};

/** A query parameter in a text (`…?token=abc&phone=…`): its name, and where its value starts. */
const QUERY_PARAM = /([?&;])([^=&#\s?;]{1,64})=([^&#\s;]*)/g;

/** Query parameters named like a secret, inside a text (a callback URL's `token=`), as `***`. */
export const maskSecretParams = (text: string): string =>
  text.includes('=')
    ? text.replace(QUERY_PARAM, (whole, mark: string, name: string) =>
        kindOfName(name) === 'secret' ? `${mark}${name}=***` : whole,
      )
    : text;
