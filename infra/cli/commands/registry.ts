import type { Command } from '../command.ts';
import { callActionCommand } from './calls-action.ts';
import { callsAgain } from './calls-again.ts';
import { callsExport } from './calls-export.ts';
import { callsFind } from './calls-find.ts';
import { callsGet } from './calls-get.ts';
import { callsLs } from './calls-ls.ts';
import { send } from './send.ts';

/** Every command of `callhook`, by the words that name it. */
export const COMMANDS = {
  'calls ls': callsLs,
  'calls get': callsGet,
  'calls find': callsFind,
  'calls export': callsExport,
  'calls retry': callActionCommand('retry', 'send a failed or unknown call again'),
  'calls cancel': callActionCommand(
    'cancel',
    'cancel a queued or scheduled call, or hang up a placed one',
  ),
  'calls abandon': callActionCommand(
    'abandon',
    'end a dialing call whose dispatcher’s lease expired: it becomes unknown',
  ),
  'calls again': callsAgain,
  send,
} satisfies Record<string, Command>;

export type CommandName = keyof typeof COMMANDS;
