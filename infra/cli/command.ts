import { HelpRequested } from './args.ts';
import { CliError, EXIT, type ExitName, exitCodeLines } from './exit-codes.ts';
import { hanging } from './format.ts';
import type { CliIo } from './io.ts';

/** One command of `callhook` (`calls ls`, `send`…), with what its help says. */
export interface Command {
  /** One line for the list of commands. */
  summary: string;
  /** Its arguments, after the command's name: `<call_id> [--json]`. */
  usage: string;
  /** Its options and what each does, for its `--help`. */
  options: readonly (readonly [flag: string, meaning: string])[];
  /** Runs it; a failure is thrown as a `CliError`. */
  run(argv: readonly string[], io: CliIo): Promise<ExitName>;
}

/** `usage: …`, then the command's options. */
export const commandHelp = (command: Command, invocation: string): string => {
  const width = Math.max(0, ...command.options.map(([flag]) => flag.length));
  return [
    `${command.summary}`,
    '',
    `usage: ${invocation} ${command.usage}`,
    ...(command.options.length === 0 ? [] : ['', 'options:']),
    ...command.options.map(([flag, meaning]) => hanging(`  ${flag.padEnd(width)}  `, meaning)),
    '',
    'exit codes:',
    ...exitCodeLines(),
  ].join('\n');
};

/**
 * Runs a command as `invocation` (`callhook calls ls`, `npm run send --`) and gives its exit
 * code: a `CliError` is its message on stderr (with the usage line where it helps), anything
 * else a bug, reported with its stack.
 */
export const runCommand = async (
  command: Command,
  argv: readonly string[],
  io: CliIo,
  invocation: string,
): Promise<number> => {
  try {
    return EXIT[await command.run(argv, io)];
  } catch (error) {
    if (error instanceof HelpRequested) {
      io.stdout(commandHelp(command, invocation));
      return EXIT.ok;
    }
    if (error instanceof CliError) {
      io.stderr(
        error.showUsage
          ? `${error.message}\nusage: ${invocation} ${command.usage}   (--help for more)`
          : error.message,
      );
      return EXIT[error.exit];
    }
    io.stderr(`callhook failed (a bug): ${error instanceof Error ? error.stack : String(error)}`);
    return EXIT.bug;
  }
};
