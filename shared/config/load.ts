import { readFile } from 'node:fs/promises';
import { CallhookConfig } from './schema.ts';

export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(source: string, problems: readonly string[], options?: ErrorOptions) {
    super(
      `${source} is not a valid callhook config:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      options,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const pathOf = (path: readonly PropertyKey[]): string =>
  path.length === 0 ? '(root)' : path.map(String).join('.');

/** Validates already-parsed JSON; each problem names the field's path and what is wrong. */
export const parseConfig = (value: unknown, source: string): CallhookConfig => {
  const parsed = CallhookConfig.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    source,
    parsed.error.issues.map((issue) => `${pathOf(issue.path)}: ${issue.message}`),
  );
};

export const parseConfigText = (text: string, source: string): CallhookConfig => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(source, [`(root): not valid JSON: ${(error as Error).message}`], {
      cause: error,
    });
  }
  return parseConfig(json, source);
};

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
