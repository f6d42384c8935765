import type { Language } from './language.ts';

/*
 * Money in route expressions: `$fromMinorUnits(amount, currency)` and
 * `$money(amount, currency, language)` (registered in expression.ts), so a preset can say an
 * amount the way a customer would, whatever its currency.
 */

/** ISO 4217 currencies counted in whole units (Stripe's zero-decimal currencies). */
const ZERO_DECIMAL = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);

/** ISO 4217 currencies whose minor unit is a thousandth. */
const THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

/** Digits after the decimal point in the currency's amounts: 0, 3, or (most) 2. */
export const currencyDigits = (currency: string): 0 | 2 | 3 => {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
};

/** Russian nouns agree with the number: один рубль, два рубля, пять рублей. */
type RussianForms = readonly [one: string, few: string, many: string];
/** English: one dollar, two dollars. */
type EnglishForms = readonly [one: string, other: string];

interface CurrencyWords {
  readonly ru: { readonly major: RussianForms; readonly minor?: RussianForms };
  readonly en: { readonly major: EnglishForms; readonly minor?: EnglishForms };
}

const KOPECKS = {
  ru: ['копейка', 'копейки', 'копеек'],
  en: ['kopeck', 'kopecks'],
} as const;
const CENTS = { ru: ['цент', 'цента', 'центов'], en: ['cent', 'cents'] } as const;

/** The currencies said in words; any other is said by its ISO code ("5000 JPY"). */
const WORDS: Readonly<Record<string, CurrencyWords>> = {
  RUB: {
    ru: { major: ['рубль', 'рубля', 'рублей'], minor: KOPECKS.ru },
    en: { major: ['ruble', 'rubles'], minor: KOPECKS.en },
  },
  BYN: {
    ru: {
      major: ['белорусский рубль', 'белорусских рубля', 'белорусских рублей'],
      minor: KOPECKS.ru,
    },
    en: { major: ['Belarusian ruble', 'Belarusian rubles'], minor: KOPECKS.en },
  },
  KZT: { ru: { major: ['тенге', 'тенге', 'тенге'] }, en: { major: ['tenge', 'tenge'] } },
  USD: {
    ru: { major: ['доллар', 'доллара', 'долларов'], minor: CENTS.ru },
    en: { major: ['dollar', 'dollars'], minor: CENTS.en },
  },
  EUR: {
    ru: { major: ['евро', 'евро', 'евро'], minor: CENTS.ru },
    en: { major: ['euro', 'euros'], minor: CENTS.en },
  },
};

/** The form of a Russian noun after the whole number `digits`. */
const russianForm = (digits: string, forms: RussianForms): string => {
  const lastTwo = Number(digits.slice(-2));
  const last = lastTwo % 10;
  if (last === 1 && lastTwo !== 11) return forms[0];
  if (last >= 2 && last <= 4 && (lastTwo < 12 || lastTwo > 14)) return forms[1];
  return forms[2];
};

const englishForm = (digits: string, forms: EnglishForms): string =>
  digits === '1' ? forms[0] : forms[1];

const CURRENCY = /^[A-Za-z]{3}$/;
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

const currencyCode = (currency: unknown, fn: string): string => {
  if (typeof currency !== 'string' || !CURRENCY.test(currency.trim())) {
    throw new Error(`${fn}: the currency must be an ISO 4217 code such as "RUB"`);
  }
  return currency.trim().toUpperCase();
};

/**
 * An amount in the currency's minor unit (Stripe's `amount_total`: cents, kopecks, or yen
 * themselves) in its major unit: 199000 RUB → 1990, 5000 JPY → 5000, 12345 KWD → 12.345.
 * Undefined for an undefined amount, as JSONata's own functions do.
 */
export const fromMinorUnits = (amount: unknown, currency: unknown): number | undefined => {
  if (amount === undefined) return undefined;
  const minor = typeof amount === 'string' && /^-?\d+$/.test(amount) ? Number(amount) : amount;
  if (typeof minor !== 'number' || !Number.isSafeInteger(minor)) {
    throw new Error('$fromMinorUnits: the amount must be a whole number of minor units');
  }
  return minor / 10 ** currencyDigits(currencyCode(currency, '$fromMinorUnits'));
};

/** The amount as sign, whole part and fraction digits, from a number or a decimal string. */
const partsOf = (amount: unknown): { sign: string; whole: string; fraction: string } => {
  const text =
    typeof amount === 'number' && Number.isFinite(amount) && Math.abs(amount) < 1e15
      ? String(amount)
      : typeof amount === 'string'
        ? amount.trim()
        : '';
  const match = DECIMAL.exec(text);
  if (match === null) throw new Error('$money: the amount must be a number such as 2500.00');
  const [, sign = '', whole = '0', fraction = ''] = match;
  return { sign, whole: whole.replace(/^0+(?=\d)/, ''), fraction: fraction.replace(/0+$/, '') };
};

/**
 * An amount as a customer would hear it: `$money("2500.00", "RUB", "ru")` → "2500 рублей",
 * `$money(19.99, "USD", "en")` → "19 dollars and 99 cents", `$money(12.345, "KWD", "en")` →
 * "12.345 KWD". The amount is in the major unit (a shop's "2500.00"; for Stripe's minor units,
 * `$fromMinorUnits` first). Undefined for an undefined amount.
 */
export const spokenMoney = (
  amount: unknown,
  currency: unknown,
  language: unknown = 'en',
): string | undefined => {
  if (amount === undefined) return undefined;
  if (language !== 'ru' && language !== 'en') {
    throw new Error('$money: the language must be "ru" or "en"');
  }
  const lang: Language = language;
  const code = currencyCode(currency, '$money');
  const { sign, whole, fraction } = partsOf(amount);
  const words = WORDS[code]?.[lang];
  const form = (digits: string, forms: RussianForms | EnglishForms): string =>
    forms.length === 3 ? russianForm(digits, forms) : englishForm(digits, forms);
  const unit = (digits: string): string => (words === undefined ? code : form(digits, words.major));
  if (fraction === '') return `${sign}${whole} ${unit(whole)}`;

  const digits = currencyDigits(code);
  if (words?.minor !== undefined && fraction.length <= digits) {
    const minor = String(Number(fraction.padEnd(digits, '0')));
    const joint = lang === 'en' ? ' and ' : ' ';
    return `${sign}${whole} ${unit(whole)}${joint}${minor} ${form(minor, words.minor)}`;
  }
  // A fraction said as one: "12.345 KWD", "1990,5 тенге" (a Russian noun after a fraction
  // takes the genitive singular, the "few" form; English, the plural).
  const point = lang === 'ru' ? ',' : '.';
  const noun = words === undefined ? code : words.major[1];
  return `${sign}${whole}${point}${fraction} ${noun}`;
};
