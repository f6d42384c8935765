import { writeFile } from 'node:fs/promises';
import { toCsv, toJson } from '../../../console/src/export-format.ts';
import { CallsApi } from '../api-client.ts';
import { apiTargetOf } from '../api-target.ts';
import { parseCommandArgs } from '../args.ts';
import { asCallPage } from '../call-format.ts';
import type { Command } from '../command.ts';
import { CliError } from '../exit-codes.ts';
import { API_OPTION_HELP } from './api-option-help.ts';
import { LIST_FILTER_HELP, LIST_FILTER_OPTIONS, listFiltersOf } from './list-filters.ts';

/** The most pages of 100 one export reads: 10,000 calls. */
const MAX_PAGES = 100;

const OPTIONS = {
  url: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string' },
  ...LIST_FILTER_OPTIONS,
} as const;

/**
 * `callhook calls export`: every call of `GET /calls` with these filters, page after page, as
 * CSV or JSON with the console's columns, masked as the list is. To stdout, or `--output`.
 */
export const callsExport: Command = {
  summary: 'the filtered calls as CSV or JSON, masked as the list is (GET /calls, every page)',
  usage: '[filters] [--format csv|json] [--output <file>] [--url <url>]',
  options: [
    ['--format <f>', 'csv (the default) or json'],
    ['--output <file>', 'write the file there instead of to stdout'],
    ...LIST_FILTER_HELP,
    ...API_OPTION_HELP.filter(([flag]) => !flag.startsWith('--json')),
  ],
  run: async (argv, io) => {
    const { values } = parseCommandArgs(argv, OPTIONS, { min: 0, max: 0, names: '' });
    const format = values.format ?? 'csv';
    if (format !== 'csv' && format !== 'json')
      throw new CliError(
        'usage',
        `--format must be csv or json, not ${JSON.stringify(format)}`,
        true,
      );
    const api = new CallsApi(apiTargetOf(values.url, io.env));
    const calls = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = asCallPage(
        (await api.list({ ...listFiltersOf(values), limit: '100', cursor })).body,
      );
      calls.push(...answer.items);
      if (answer.next_cursor === null) break;
      cursor = answer.next_cursor;
    }
    const text = format === 'csv' ? `${toCsv(calls)}\r\n` : toJson(calls);
    if (values.output === undefined) io.stdout(text.replace(/\r?\n$/, ''));
    else {
      await writeFile(values.output, text);
      io.stderr(`wrote ${calls.length} calls to ${values.output}`);
    }
    return 'ok';
  },
};
