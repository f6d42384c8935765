import { PRESETS, type PresetName } from '../senders/registry.ts';
import type { Preset } from '../senders/sender-scheme.ts';
import { type Language, languageOf } from './language.ts';

/*
 * The presets themselves live with their senders' schemes (shared/senders/): a route that names
 * a preset gets its fields, with its message in the route's language, and overrides any of them
 * with its own (objects merge, the rest is replaced). What a preset cannot know, the route must
 * still give: the account, the sender's secret, and for operator calls the operator's number.
 */

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const mergeInto = (base: unknown, override: unknown): unknown => {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = mergeInto(base[key], value);
  return merged;
};

/** The preset's route fields, its message (if it speaks one) in `language`. */
const templateIn = (preset: Preset, language: Language): unknown =>
  preset.messages === undefined
    ? preset.route
    : mergeInto(preset.route, {
        call: { contact_message: { type: 'tts', value: preset.messages[language] } },
      });

/**
 * A route with its preset's fields filled in, the preset's message in the route's language
 * (`languageOf`); a `call.contact_message` of the route's own wins. An unknown preset name is
 * left for the schema to refuse, with its path.
 */
export const expandPreset = (route: unknown): unknown => {
  if (!isPlainObject(route) || typeof route.preset !== 'string') return route;
  if (!Object.hasOwn(PRESETS, route.preset)) return route;
  return mergeInto(templateIn(PRESETS[route.preset as PresetName], languageOf(route)), route);
};
