import { COMMANDS, type CommandName } from './commands/registry.ts';
import { exitCodeLines } from './exit-codes.ts';
import { hanging } from './format.ts';

/** `callhook --help`: the commands, the environment it reads, and the exit codes. */
export const mainHelp = (): string => {
  const names = Object.keys(COMMANDS) as CommandName[];
  const width = Math.max(...names.map((name) => name.length));
  return [
    'callhook: look at and act on the calls of a callhook API, locally or on AWS',
    '',
    'usage: callhook <command> [options]     (callhook <command> --help for its options)',
    '',
    'commands:',
    ...names.map((name) => hanging(`  ${name.padEnd(width)}  `, COMMANDS[name].summary)),
    '',
    'environment:',
    '  CALLHOOK_ADMIN_KEY  the admin key (there is no flag for it: it would stay in the shell',
    '                      history and show in ps). Unset, the local runtime’s default key, and',
    '                      only for the default --url',
    '  PORT                the local runtime’s port, for the default --url (3000)',
    '  NO_COLOR            no colours (there are none either when stdout is not a terminal)',
    '',
    'exit codes:',
    ...exitCodeLines(),
  ].join('\n');
};
