import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postHook, waitForStatus } from '../support/http.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

describe('README: the first webhook', () => {
  let runtime: TestRuntime;
  let readme: string;

  beforeAll(async () => {
    runtime = await startTestRuntime();
    readme = await readFile('README.md', 'utf8');
  });
  afterAll(() => runtime.stop());

  it('shows the call id that its first curl really gets, and that id leads to the placed call', async () => {
    // Prepare: the first webhook body and the first call id the README shows.
    const body = readme.match(/-d '(\{[^']*\})'/)?.[1];
    const shownId = readme.match(/"call_id":"(c_[0-9a-f]{32})"/)?.[1];
    expect(body).toBeDefined();
    expect(shownId).toBeDefined();

    // Act
    const answer = await postHook(runtime.bridgeUrl, 'callback', JSON.parse(body ?? '{}'));

    // Assess
    expect(answer.status).toBe(202);
    expect(answer.body.call_id).toBe(shownId);
    await waitForStatus(runtime.bridgeUrl, shownId ?? '', 'placed');
    expect(readme).toContain(`/calls/${shownId}`);
  });
});
