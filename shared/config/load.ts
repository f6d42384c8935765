import { readFile } from 'node:fs/promises';
import { compileExpression } from '../routes/expression.ts';
import { ConfigError, parseTextWith, parseWith } from './parse-with.ts';
import { buildConfigSchema, type CallhookConfig } from './schema.ts';

export { ConfigError } from './parse-with.ts';

/** The schema that also compiles every JSONata expression in the file. */
export const CheckedConfigSchema = buildConfigSchema((source) => {
  const compiled = compileExpression(source);
  return compiled.ok ? undefined : compiled.message;
});

/** Validates already-parsed JSON; each problem names the field's path and what is wrong. */
export const parseConfig = (value: unknown, source: string): CallhookConfig =>
  parseWith(CheckedConfigSchema, value, source);

export const parseConfigText = (text: string, source: string): CallhookConfig =>
  parseTextWith(CheckedConfigSchema, text, source);

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
