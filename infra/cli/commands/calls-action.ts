import { type CallAction, CallsApi } from '../api-client.ts';
import { apiTargetOf } from '../api-target.ts';
import { API_OPTIONS, parseCommandArgs } from '../args.ts';
import { asCall, formatCall } from '../call-format.ts';
import type { Command } from '../command.ts';
import { styleFor } from '../format.ts';
import { API_OPTION_HELP } from './api-option-help.ts';

/**
 * `callhook calls retry|cancel|abandon <call_id>`: `POST /calls/{id}/<action>`, then the call
 * as the API answers with it. A call the action does not apply to is the API's `409`, exit 1.
 */
export const callActionCommand = (action: CallAction, summary: string): Command => ({
  summary: `${summary} (POST /calls/{id}/${action})`,
  usage: '<call_id> [--url <url>] [--json]',
  options: API_OPTION_HELP,
  run: async (argv, io) => {
    const { values, positionals } = parseCommandArgs(argv, API_OPTIONS, {
      min: 1,
      max: 1,
      names: 'one <call_id>',
    });
    const api = new CallsApi(apiTargetOf(values.url, io.env));
    const answer = await api.act(positionals[0] ?? '', action);
    io.stdout(
      values.json === true ? answer.text : formatCall(asCall(answer.body), styleFor(io.colour)),
    );
    return 'ok';
  },
});
