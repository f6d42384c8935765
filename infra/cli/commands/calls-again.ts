import { CallsApi } from '../api-client.ts';
import { apiTargetOf } from '../api-target.ts';
import { API_OPTIONS, parseCommandArgs } from '../args.ts';
import { asCall, formatCall } from '../call-format.ts';
import type { Command } from '../command.ts';
import { styleFor } from '../format.ts';
import { API_OPTION_HELP } from './api-option-help.ts';

const OPTIONS = { ...API_OPTIONS, 'confirm-talked': { type: 'boolean' } } as const;

/**
 * `callhook calls again <call_id>`: `POST /calls/{id}/again`, one new attempt of a completed
 * call that did not reach its customer. A call that talked needs `--confirm-talked`.
 */
export const callsAgain: Command = {
  summary:
    'call a completed call that did not reach its customer again, once (POST /calls/{id}/again)',
  usage: '<call_id> [--confirm-talked] [--url <url>] [--json]',
  options: [
    ['--confirm-talked', 'call again even though the customer talked (asked a second time)'],
    ...API_OPTION_HELP,
  ],
  run: async (argv, io) => {
    const { values, positionals } = parseCommandArgs(argv, OPTIONS, {
      min: 1,
      max: 1,
      names: 'one <call_id>',
    });
    const api = new CallsApi(apiTargetOf(values.url, io.env));
    const answer = await api.act(
      positionals[0] ?? '',
      'again',
      values['confirm-talked'] === true ? { confirm_talked: true } : undefined,
    );
    io.stdout(
      values.json === true ? answer.text : formatCall(asCall(answer.body), styleFor(io.colour)),
    );
    return 'ok';
  },
};
