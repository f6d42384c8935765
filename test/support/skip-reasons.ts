import { readFileSync } from 'node:fs';
import { PROBLEMS } from '../../shared/http/problem-error.ts';
import { skipReasons } from '../../shared/ingest/guardrails/registry.ts';

/** Where the table of skip reasons lives. */
export const SKIP_TABLE_FILE = 'docs/http-contract.md';

const HEADER = '| reason | refused when | on a `reject` route |';

/** The table of skip reasons as the guardrails' registry makes it, in their order. */
export const skipReasonsTable = (): string =>
  [
    HEADER,
    '| --- | --- | --- |',
    ...skipReasons().map(
      ({ code, when, keptOnReject }) =>
        `| \`${code}\` | ${when} | ${
          keptOnReject
            ? `kept as \`skipped\`, answered ${PROBLEMS[code].status}`
            : `answered ${PROBLEMS[code].status}, nothing stored`
        } |`,
    ),
  ].join('\n');

/** The table of skip reasons as the docs show it. */
export const documentedSkipTable = (): string => {
  const lines = readFileSync(SKIP_TABLE_FILE, 'utf8').split('\n');
  const start = lines.indexOf(HEADER);
  if (start === -1) return '';
  const end = lines.findIndex((line, index) => index > start && !line.startsWith('|'));
  return lines.slice(start, end === -1 ? undefined : end).join('\n');
};
