import { CallsApi } from '../api-client.ts';
import { apiTargetOf } from '../api-target.ts';
import { API_OPTIONS, parseCommandArgs } from '../args.ts';
import { asCall, formatCall } from '../call-format.ts';
import type { Command } from '../command.ts';
import { styleFor } from '../format.ts';
import { API_OPTION_HELP } from './api-option-help.ts';

/** `callhook calls get <call_id>`: `GET /calls/{id}`, the call and its timeline. */
export const callsGet: Command = {
  summary: 'one call and its timeline (GET /calls/{id})',
  usage: '<call_id> [--url <url>] [--json]',
  options: API_OPTION_HELP,
  run: async (argv, io) => {
    const { values, positionals } = parseCommandArgs(argv, API_OPTIONS, {
      min: 1,
      max: 1,
      names: 'one <call_id>',
    });
    const api = new CallsApi(apiTargetOf(values.url, io.env));
    const answer = await api.get(positionals[0] ?? '');
    io.stdout(
      values.json === true ? answer.text : formatCall(asCall(answer.body), styleFor(io.colour)),
    );
    return 'ok';
  },
};
