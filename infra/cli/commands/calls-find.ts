import { CallsApi } from '../api-client.ts';
import { apiTargetOf } from '../api-target.ts';
import { API_OPTIONS, parseCommandArgs } from '../args.ts';
import { asCallPage, formatCallPage } from '../call-format.ts';
import type { Command } from '../command.ts';
import { styleFor } from '../format.ts';
import { API_OPTION_HELP } from './api-option-help.ts';

const OPTIONS = { ...API_OPTIONS, route: { type: 'string' } } as const;

/**
 * `callhook calls find <number>`: `POST /calls/search`, the calls to one full number. The
 * number goes in the request's body, never in a URL (a proxy's or an access log's).
 */
export const callsFind: Command = {
  summary: 'the calls to one full phone number, sent in the body (POST /calls/search)',
  usage: '<number> [--route <name>] [--url <url>] [--json]',
  options: [['--route <name>', 'only that route’s calls'], ...API_OPTION_HELP],
  run: async (argv, io) => {
    const { values, positionals } = parseCommandArgs(argv, OPTIONS, {
      min: 1,
      max: 1,
      names: 'one <number> (quote it if it has spaces)',
    });
    const api = new CallsApi(apiTargetOf(values.url, io.env));
    const answer = await api.search(positionals[0] ?? '', values.route);
    io.stdout(
      values.json === true
        ? answer.text
        : formatCallPage(asCallPage(answer.body), styleFor(io.colour)),
    );
    return 'ok';
  },
};
