import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FINISH_REASONS,
  RESULT_WITHOUT_TALK,
} from '../../shared/backends/callapi/data-api/finish-reasons.ts';
import { CALL_RESULTS } from '../../shared/calls/call-result.ts';

/** The finish reasons the two report pages list, copied as data (the file names its pages). */
const documented = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '..', 'fixtures', 'dataapi-examples', 'finish-reasons.json'),
    'utf8',
  ),
) as { sessions: string[]; legs: string[] };

/** The table in docs/outcomes.md: `| \`reason\` | \`result\` |` rows. */
const docsTable = (): Map<string, string> => {
  const text = readFileSync('docs/outcomes.md', 'utf8');
  const section = text.slice(text.indexOf('## Finish reasons'));
  return new Map(
    [...section.matchAll(/^\| `([a-z_]+)` \| `([a-z_]+)` \|$/gm)].map(([, reason, result]) => [
      reason as string,
      result as string,
    ]),
  );
};

describe('Finish reasons and their results', () => {
  it('lists every finish reason both report pages document, and no other', () => {
    const pages = new Set([...documented.sessions, ...documented.legs]);

    expect(documented.sessions.length).toBeGreaterThan(90);
    expect(new Set(FINISH_REASONS)).toEqual(pages);
    expect(FINISH_REASONS).toHaveLength(pages.size);
  });

  it('maps every documented finish reason to a result other than talked', () => {
    for (const reason of [...documented.sessions, ...documented.legs]) {
      const result = RESULT_WITHOUT_TALK[reason as keyof typeof RESULT_WITHOUT_TALK];
      expect(CALL_RESULTS, reason).toContain(result);
      expect(result, reason).not.toBe('talked');
    }
  });

  it('maps the customer-side reasons as their names say', () => {
    expect(RESULT_WITHOUT_TALK.subscriber_busy).toBe('busy');
    expect(RESULT_WITHOUT_TALK.subscriber_not_responsible).toBe('no_answer');
    expect(RESULT_WITHOUT_TALK.no_success_subscriber_call).toBe('no_answer');
    expect(RESULT_WITHOUT_TALK.subscriber_disconnects).toBe('rejected');
    expect(RESULT_WITHOUT_TALK.operator_not_responsible).toBe('operator_missed');
    expect(RESULT_WITHOUT_TALK.not_enough_money).toBe('failed');
  });

  it('is the table docs/outcomes.md shows, row for row', () => {
    const table = docsTable();

    expect(Object.fromEntries(table)).toEqual(RESULT_WITHOUT_TALK);
    expect([...table.keys()]).toEqual([...FINISH_REASONS]);
  });
});
