import type { CountryCode, MetadataJson } from 'libphonenumber-js/core';
import maxMetadata from 'libphonenumber-js/metadata.max.json';
import type { CallhookConfig } from '../config/schema.ts';
import type { PhoneNumbering } from './phone-numbering.ts';

/** Every country a route may call or reads national numbers in. */
export const countriesDialled = (config: CallhookConfig): CountryCode[] => {
  const countries = new Set<CountryCode>();
  for (const route of Object.values(config.routes)) {
    countries.add(route.default_country);
    for (const country of route.allowed_countries ?? []) countries.add(country);
  }
  return [...countries].sort();
};

/**
 * The numbering for `countries`, cut from the library's full metadata: whole calling-code
 * groups, and no non-geographic plans (+800, +882 and the like), which no route can allow.
 * Built where the config is loaded (locally) or at synth (compiled into the Lambda bundle), so
 * both answer a number the same way.
 */
export const numberingFor = (countries: Iterable<CountryCode>): PhoneNumbering => {
  const full: MetadataJson = maxMetadata;
  const wanted = new Set<string>(countries);
  const groups = Object.entries(full.country_calling_codes).filter(([, members]) =>
    members.some((member) => wanted.has(member)),
  );
  const kept = new Set<string>(groups.flatMap(([, members]) => members));
  return {
    metadata: {
      version: full.version,
      country_calling_codes: Object.fromEntries(groups),
      countries: Object.fromEntries(
        Object.entries(full.countries).filter(([country]) => kept.has(country)),
      ),
      nonGeographic: {},
    },
    callingCodes: [...Object.keys(full.country_calling_codes), ...Object.keys(full.nonGeographic)],
  };
};

const numberingOf = new WeakMap<CallhookConfig, PhoneNumbering>();

/** The numbering a config's routes need, built once per config. */
export const numberingForConfig = (config: CallhookConfig): PhoneNumbering => {
  let numbering = numberingOf.get(config);
  if (numbering === undefined) {
    numbering = numberingFor(countriesDialled(config));
    numberingOf.set(config, numbering);
  }
  return numbering;
};
