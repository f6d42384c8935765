import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runToExit } from '../support/spawn-main.ts';

/** Runs one of the project's scripts as `npm run` does (through tsx), with these arguments. */
const script = (file: string, args: string[]) =>
  runToExit(
    spawn(process.execPath, ['--import', 'tsx', file, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    }),
  );

describe('--help on every command a new user runs', () => {
  it.each([
    ['start', 'infra/local/main.ts', 'usage: npm start'],
    ['config:check', 'infra/config-check.ts', 'usage: npm run config:check'],
    ['doctor', 'infra/doctor/main.ts', 'usage: npm run doctor --'],
    ['send', 'infra/send.ts', 'usage: npm run send -- <route>'],
  ])('npm run %s -- --help prints its usage and exits 0', async (_name, file, usage) => {
    const run = await script(file, ['--help']);

    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toContain(usage);
  });

  it('a bad option of config:check is its usage and exit 2, not a stack trace', async () => {
    const run = await script('infra/config-check.ts', ['--bogus']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('usage: npm run config:check');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
