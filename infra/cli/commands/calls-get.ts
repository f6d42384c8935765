import { CallsApi } from '../api-client.ts';
import { apiTargetOf } from '../api-target.ts';
import { API_OPTIONS, parseCommandArgs } from '../args.ts';
import { asCall, formatCall, formatEvent } from '../call-format.ts';
import type { Command } from '../command.ts';
import { CliError } from '../exit-codes.ts';
import { styleFor } from '../format.ts';
import { API_OPTION_HELP } from './api-option-help.ts';

/**
 * `callhook calls get <call_id>`: `GET /calls/{id}`, the call and its timeline, then the event
 * it was made for as received (`GET /calls/{id}/event`, masked). `--json` prints the call's
 * answer alone, exactly as sent.
 */
export const callsGet: Command = {
  summary: 'one call, its timeline and the event it was made for (GET /calls/{id})',
  usage: '<call_id> [--url <url>] [--json]',
  options: API_OPTION_HELP,
  run: async (argv, io) => {
    const { values, positionals } = parseCommandArgs(argv, API_OPTIONS, {
      min: 1,
      max: 1,
      names: 'one <call_id>',
    });
    const api = new CallsApi(apiTargetOf(values.url, io.env));
    const callId = positionals[0] ?? '';
    if (values.json === true) {
      io.stdout((await api.get(callId)).text);
      return 'ok';
    }
    const [answer, event] = await Promise.allSettled([api.get(callId), api.event(callId)]);
    if (answer.status === 'rejected') throw answer.reason;
    const style = styleFor(io.colour);
    // The call is what was asked for: an event that cannot be read (an older API) is said so.
    const shown =
      event.status === 'fulfilled'
        ? formatEvent(event.value.body, style)
        : `event as received: not shown (${event.reason instanceof CliError ? event.reason.message : 'failed'})`;
    io.stdout(`${formatCall(asCall(answer.value.body), style)}\n\n${shown}`);
    return 'ok';
  },
};
