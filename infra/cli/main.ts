import { runCommand } from './command.ts';
import { COMMANDS, type CommandName } from './commands/registry.ts';
import { EXIT } from './exit-codes.ts';
import { mainHelp } from './help.ts';
import { type CliIo, processIo } from './io.ts';

/** The command the first words name (`calls ls`, `send`), and the arguments after them. */
const commandOf = (argv: readonly string[]): { name: CommandName; rest: string[] } | undefined => {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    if (Object.hasOwn(COMMANDS, name))
      return { name: name as CommandName, rest: argv.slice(words) };
  }
  return undefined;
};

/** `callhook <command> …`: runs the command and gives the exit code (see exit-codes.ts). */
export const runCli = async (argv: readonly string[], io: CliIo): Promise<number> => {
  const [first] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout(mainHelp());
    return EXIT.ok;
  }
  const found = commandOf(argv);
  if (found === undefined) {
    // A group (`calls`) names its commands; it has no help of its own but the main one.
    const subcommands = Object.keys(COMMANDS)
      .filter((name) => name.startsWith(`${first} `))
      .map((name) => name.slice(`${first} `.length));
    const second = argv[1];
    if (subcommands.length > 0 && (second === '--help' || second === '-h')) {
      io.stdout(mainHelp());
      return EXIT.ok;
    }
    const message =
      first === undefined
        ? 'no command given'
        : subcommands.length > 0 && (second === undefined || second.startsWith('-'))
          ? `callhook ${first} needs one of: ${subcommands.join(', ')}`
          : `unknown command: ${JSON.stringify(argv.slice(0, subcommands.length > 0 ? 2 : 1).join(' '))}`;
    io.stderr(`${message}\n\n${mainHelp()}`);
    return EXIT.usage;
  }
  return runCommand(COMMANDS[found.name], found.rest, io, `callhook ${found.name}`);
};

/** The entry point of bin/callhook.mjs. */
export const main = async (): Promise<void> => {
  process.exitCode = await runCli(process.argv.slice(2), processIo());
};
