import type * as z from 'zod';

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

/** Validates parsed JSON with `schema`; each problem names the field's path and what is wrong. */
export const parseWith = <S extends z.ZodType>(
  schema: S,
  value: unknown,
  source: string,
): z.output<S> => {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    source,
    parsed.error.issues.map((issue) => `${pathOf(issue.path)}: ${issue.message}`),
  );
};

export const parseTextWith = <S extends z.ZodType>(
  schema: S,
  text: string,
  source: string,
): z.output<S> => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(source, [`(root): not valid JSON: ${(error as Error).message}`], {
      cause: error,
    });
  }
  return parseWith(schema, json, source);
};
