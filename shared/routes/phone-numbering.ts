import type { MetadataJson } from 'libphonenumber-js/core';

/**
 * The numbering plans one deployment dials: libphonenumber's metadata, number types included,
 * for the countries its routes allow (with every country sharing their calling codes, which
 * tells a Kazakh +7 number from a Russian one), and the list of every country calling code, so
 * a number from elsewhere is refused as a country not allowed rather than as unparseable.
 * Carrying only these countries keeps the ingest bundle small: the whole metadata is 150 KB.
 */
export interface PhoneNumbering {
  metadata: MetadataJson;
  callingCodes: readonly string[];
}
