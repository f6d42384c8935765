import { readFile } from 'node:fs/promises';
import { ConfigError, parseTextWith, parseWith } from './parse-with.ts';
import { type CallhookConfig, ConfigSchema } from './schema.ts';

export { ConfigError } from './parse-with.ts';

/** Validates already-parsed JSON; each problem names the field's path and what is wrong. */
export const parseConfig = (value: unknown, source: string): CallhookConfig =>
  parseWith(ConfigSchema, value, source);

/** Parses and validates a config file's text: JSON, or JSONC (comments, trailing commas). */
export const parseConfigText = (text: string, source: string): CallhookConfig =>
  parseTextWith(ConfigSchema, text, source);

export const loadConfigFile = async (path: string): Promise<CallhookConfig> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [`(root): cannot read the file: ${(error as Error).message}`], {
      cause: error,
    });
  }
  return parseConfigText(text, path);
};
