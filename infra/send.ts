import { runCommand } from './cli/command.ts';
import { send } from './cli/commands/send.ts';
import { processIo } from './cli/io.ts';

/**
 * `npm run send -- <route> [payload.json] [--phone <number>]`: the CLI's `send` command
 * (`npx callhook send`), under the name the banner and the docs have always given it.
 */
process.exitCode = await runCommand(send, process.argv.slice(2), processIo(), 'npm run send --');
