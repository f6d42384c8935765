/** The languages the presets speak. */
export const LANGUAGES = ['ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A route's `default_country` when it gives none. */
export const DEFAULT_COUNTRY = 'RU';

/** Countries whose customers a preset speaks Russian to unless the route says `language`. */
const RUSSIAN_SPEAKING: readonly string[] = ['RU', 'KZ', 'BY'];

const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/**
 * The language of a route's preset messages: its `language`, else Russian where its
 * `default_country` (by default RU) is RU, KZ or BY, and English elsewhere. Takes the route as
 * written (before the schema's check), so a misspelled field falls back to the default and is
 * left for the schema to refuse.
 */
export const languageOf = (route: {
  readonly language?: unknown;
  readonly default_country?: unknown;
}): Language => {
  if (isLanguage(route.language)) return route.language;
  const country =
    typeof route.default_country === 'string' ? route.default_country : DEFAULT_COUNTRY;
  return RUSSIAN_SPEAKING.includes(country) ? 'ru' : 'en';
};
