import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CliError } from './exit-codes.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Thrown by `parseCommandArgs` on `--help`: the command's help is printed instead of running it. */
export class HelpRequested extends Error {}

/** The options every command that talks to the API takes. */
export const API_OPTIONS = {
  url: { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies Options;

type HelpOption = { help: { type: 'boolean'; short: 'h' } };
type CommandConfig<O extends Options> = {
  args: string[];
  options: O & HelpOption;
  allowPositionals: true;
  strict: true;
};
type Parsed<O extends Options> = ReturnType<typeof parseArgs<CommandConfig<O>>>;

/**
 * A command's arguments, parsed strictly by `node:util`'s parseArgs: an unknown option, a
 * missing value or a wrong number of positionals is a usage error (exit 2), never a guess.
 */
export const parseCommandArgs = <const O extends Options>(
  argv: readonly string[],
  options: O,
  positionals: { min: number; max: number; names: string },
): Parsed<O> => {
  const help: HelpOption = { help: { type: 'boolean', short: 'h' } };
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs<CommandConfig<O>>({
      args: [...argv],
      options: { ...options, ...help },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // parseArgs's own errors (an unknown option, a missing value) have a code and a plain message.
    if (String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'))
      throw new CliError('usage', (error as Error).message, true);
    throw error;
  }
  if ((parsed.values as { help?: boolean }).help === true) throw new HelpRequested();
  const count = parsed.positionals.length;
  if (count < positionals.min || count > positionals.max) {
    const wanted = positionals.max === 0 ? 'no arguments' : positionals.names;
    const given = count === 0 ? 'none' : `${count}: ${parsed.positionals.join(' ')}`;
    throw new CliError('usage', `expected ${wanted}, got ${given}`, true);
  }
  return parsed;
};
