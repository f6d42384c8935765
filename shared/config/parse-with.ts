import { type ParseError, parse, printParseErrorCode } from 'jsonc-parser';
import type * as z from 'zod';
import { listed, nearest, suggestion } from './did-you-mean.ts';

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

/** The message of a field that is required and absent. */
const MISSING = 'required';

/** The keys an object schema knows, read from the schema that reported an unknown key. */
const shapeKeys = (schema: unknown): string[] => {
  const shape = (schema as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape;
  return shape === undefined ? [] : Object.keys(shape);
};

const unknownValue = (value: string, known: readonly string[]): string =>
  `unknown value "${value}"; ${suggestion(value, known)}`;

const strings = (values: readonly unknown[]): string[] =>
  values.filter((value): value is string => typeof value === 'string');

/**
 * Messages that say what was meant, where zod's would only say what is wrong. An unknown key's
 * message is written after parsing, one line per key; here its object's keys are noted.
 */
const errorMapNoting =
  (knownKeys: WeakMap<readonly string[], readonly string[]>): z.core.$ZodErrorMap =>
  (issue) => {
    switch (issue.code) {
      case 'unrecognized_keys':
        knownKeys.set(issue.keys, shapeKeys(issue.inst));
        return undefined;
      case 'invalid_type':
        return issue.input === undefined ? MISSING : undefined;
      case 'invalid_value': {
        const values = strings(issue.values);
        return typeof issue.input === 'string' && values.length > 1
          ? unknownValue(issue.input, values)
          : undefined;
      }
      case 'invalid_union': {
        if (typeof issue.discriminator !== 'string' || !Array.isArray(issue.options)) return;
        const options = strings(issue.options);
        const value = (issue.input as Record<string, unknown> | undefined)?.[issue.discriminator];
        if (value === undefined) return `${MISSING}: one of ${listed(options)}`;
        return typeof value === 'string' ? unknownValue(value, options) : undefined;
      }
      default:
        return undefined;
    }
  };

/**
 * Validates parsed JSON with `schema`: one line per mistake, each naming the field's path and
 * what is wrong. An unknown key names the known one nearest to it, and the same key's absence
 * is not reported again.
 */
export const parseWith = <S extends z.ZodType>(
  schema: S,
  value: unknown,
  source: string,
): z.output<S> => {
  const knownKeys = new WeakMap<readonly string[], readonly string[]>();
  const parsed = schema.safeParse(value, { error: errorMapNoting(knownKeys) });
  if (parsed.success) return parsed.data;
  // Reading the issues runs the error map (zod writes messages when they are first read).
  const { issues } = parsed.error;
  // Paths an unknown key was probably meant for: their absence is the same mistake.
  const explained = new Set<string>();
  const unknownKeyLines = new Map<z.core.$ZodIssue, string[]>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const known = knownKeys.get(issue.keys) ?? [];
    const lines = issue.keys.map((key) => {
      const near = nearest(key, known);
      if (near !== undefined) explained.add(pathOf([...issue.path, near]));
      const hint = known.length > 0 ? `; ${suggestion(key, known)}` : '';
      return `${pathOf([...issue.path, key])}: unknown key${hint}`;
    });
    unknownKeyLines.set(issue, lines);
  }
  throw new ConfigError(
    source,
    issues.flatMap(
      (issue) =>
        unknownKeyLines.get(issue) ??
        (issue.message === MISSING && explained.has(pathOf(issue.path))
          ? []
          : [`${pathOf(issue.path)}: ${issue.message}`]),
    ),
  );
};

const SYNTAX: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'not a valid number',
  PropertyNameExpected: 'expected a key in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected a colon after the key',
  CommaExpected: 'expected a comma',
  CloseBraceExpected: 'expected a closing brace }',
  CloseBracketExpected: 'expected a closing bracket ]',
  EndOfFileExpected: 'expected the end of the file',
  InvalidCommentToken: 'not a valid comment',
  UnexpectedEndOfComment: 'a comment that is never closed',
  UnexpectedEndOfString: 'a string that is never closed',
  UnexpectedEndOfNumber: 'a number that ends too early',
  InvalidUnicode: 'not a valid \\u escape',
  InvalidEscapeCharacter: 'not a valid escape after \\',
  InvalidCharacter: 'a character a string cannot hold (a line break or a control character)',
};

/** "line:column" (both from 1) of a character offset in `text`. */
const lineColumn = (text: string, offset: number): string => {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - (before.lastIndexOf('\n') + 1) + 1}`;
};

/**
 * Parses JSON with comments and trailing commas (JSONC, as editors write config files), then
 * validates it with `schema`. A syntax mistake is reported at its line and column; only the
 * first, since what follows it may be read wrongly.
 */
export const parseTextWith = <S extends z.ZodType>(
  schema: S,
  text: string,
  source: string,
): z.output<S> => {
  const errors: ParseError[] = [];
  const json: unknown = parse(text, errors, { allowTrailingComma: true, allowEmptyContent: false });
  const first = errors[0];
  if (first !== undefined) {
    const code = printParseErrorCode(first.error);
    throw new ConfigError(source, [
      `${lineColumn(text, first.offset)}: syntax error: ${SYNTAX[code] ?? code}`,
    ]);
  }
  return parseWith(schema, json, source);
};
