import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROBLEMS } from '../../shared/http/problem-error.ts';
import { SKIP_REASONS, skipReasons } from '../../shared/ingest/guardrails/registry.ts';
import { documentedSkipTable, SKIP_TABLE_FILE, skipReasonsTable } from '../support/skip-reasons.ts';

type Schema = { enum?: string[]; properties?: Record<string, Schema> };
const openapi = JSON.parse(readFileSync('docs/openapi.json', 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, Record<string, unknown>> }>>;
  components: { schemas: Record<string, Schema> };
};

describe('The skip reasons, made from the guardrails’ registry', () => {
  it(`${SKIP_TABLE_FILE}: its table of skip reasons is the registry's, row for row`, () => {
    expect(documentedSkipTable()).toBe(skipReasonsTable());
  });

  it('has each code once, every one of them a 4xx of the problem catalogue', () => {
    expect(new Set(SKIP_REASONS).size).toBe(SKIP_REASONS.length);
    for (const code of SKIP_REASONS) expect(PROBLEMS[code].status).toBeGreaterThanOrEqual(400);
  });

  it("docs/openapi.json: a skipped event's reason, and the 422 of a reject route, name the same codes", () => {
    const skipped = openapi.components.schemas.HookSkipped?.properties?.reason?.enum ?? [];
    const content = openapi.paths['/hooks/{route}']?.post?.responses['422']?.content as
      | { 'application/problem+json'?: { schema?: Schema } }
      | undefined;
    const rejected = content?.['application/problem+json']?.schema?.properties?.code?.enum;

    expect([...skipped].sort()).toEqual([...SKIP_REASONS].sort());
    // Besides them, a browser route refuses a form without the consent it requires: never
    // kept, since nothing is stored for a refused form.
    expect([...(rejected ?? [])].sort()).toEqual(
      [
        ...skipReasons()
          .filter(({ code, keptOnReject }) => keptOnReject && PROBLEMS[code].status === 422)
          .map(({ code }) => code),
        'consent_required',
      ].sort(),
    );
  });
});
