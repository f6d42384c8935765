import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from '../../../shared/calls/call-list.ts';
import { CallsApi } from '../api-client.ts';
import { apiTargetOf } from '../api-target.ts';
import { API_OPTIONS, parseCommandArgs } from '../args.ts';
import { asCallPage, formatCallPage } from '../call-format.ts';
import type { Command } from '../command.ts';
import { styleFor } from '../format.ts';
import { API_OPTION_HELP } from './api-option-help.ts';
import { LIST_FILTER_HELP, LIST_FILTER_OPTIONS, listFiltersOf } from './list-filters.ts';

const OPTIONS = {
  ...API_OPTIONS,
  ...LIST_FILTER_OPTIONS,
  limit: { type: 'string' },
  cursor: { type: 'string' },
  key: { type: 'string' },
} as const;

/**
 * `callhook calls ls`: `GET /calls` with its filters, one option each. The values go to the API
 * as given: it checks them (a bad one is its `400 invalid_filter`, exit 1), so the CLI never
 * disagrees with the API it talks to.
 */
export const callsLs: Command = {
  summary: 'the calls, newest first, filtered (GET /calls)',
  usage: '[filters] [--url <url>] [--json]',
  options: [
    ...LIST_FILTER_HELP,
    ['--limit <n>', `calls per page, 1 to ${MAX_LIST_LIMIT} (default ${DEFAULT_LIST_LIMIT})`],
    ['--cursor <c>', 'the next page: the cursor the previous page printed (the same filters)'],
    [
      '--key <key>',
      'with --route: the call of one event, by the key its sender knows (an order id)',
    ],
    ...API_OPTION_HELP,
  ],
  run: async (argv, io) => {
    const { values } = parseCommandArgs(argv, OPTIONS, { min: 0, max: 0, names: '' });
    const api = new CallsApi(apiTargetOf(values.url, io.env));
    const answer = await api.list({
      ...listFiltersOf(values),
      limit: values.limit,
      cursor: values.cursor,
      key: values.key,
    });
    io.stdout(
      values.json === true
        ? answer.text
        : formatCallPage(asCallPage(answer.body), styleFor(io.colour)),
    );
    return 'ok';
  },
};
