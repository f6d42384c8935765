import { writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchConfigFile } from '../../infra/local/config-watch.ts';

describe('watchConfigFile', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('notices a change written the moment watching starts, before any await', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'callhook-watch-'));
    const path = join(dir, 'callhook.config.json');
    const shipped = await readFile('callhook.config.json', 'utf8');
    await writeFile(path, shipped);
    let notice: (line: string) => void = () => undefined;
    const said = new Promise<string>((resolve) => {
      notice = resolve;
    });

    // Act: the file changes in the same tick the watch begins (a busy machine's npm start).
    const watch = watchConfigFile(path, notice);
    closers.push(async () => {
      watch.close();
      await rm(dir, { recursive: true, force: true });
    });
    writeFileSync(path, '{');

    // Assess: the change is measured against the file as it was read, not as first seen later.
    expect(await said).toMatch(/changed, and the new file has problems/);
  });
});
