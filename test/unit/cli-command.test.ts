import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { apiTargetOf } from '../../infra/cli/api-target.ts';
import { parseCommandArgs } from '../../infra/cli/args.ts';
import { type Command, runCommand } from '../../infra/cli/command.ts';
import { CliError, EXIT } from '../../infra/cli/exit-codes.ts';
import type { CliIo } from '../../infra/cli/io.ts';
import { runCli } from '../../infra/cli/main.ts';

/** An io that keeps what was written. */
const recorder = (env: CliIo['env'] = {}) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env,
    colour: false,
  };
  return { io, out, err };
};

const failureOf = (run: () => unknown): CliError => {
  try {
    run();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('expected a CliError');
};

describe('the admin key and the API’s URL', () => {
  it('takes the key from CALLHOOK_ADMIN_KEY, for any URL', () => {
    const target = apiTargetOf('https://abc.execute-api.eu-west-1.amazonaws.com', {
      CALLHOOK_ADMIN_KEY: 'k-123',
    });

    expect(target.adminKey).toBe('k-123');
    expect(target.baseUrl.href).toBe('https://abc.execute-api.eu-west-1.amazonaws.com/');
  });

  it('without it, uses the local runtime’s default key for the default URL only', () => {
    expect(apiTargetOf(undefined, {})).toEqual({
      baseUrl: new URL('http://127.0.0.1:3000'),
      adminKey: 'local-admin-key',
    });
    expect(apiTargetOf(undefined, { PORT: '3005' }).baseUrl.href).toBe('http://127.0.0.1:3005/');
    expect(apiTargetOf('http://127.0.0.1:3000/', {}).adminKey).toBe('local-admin-key');
    const elsewhere = failureOf(() => apiTargetOf('https://calls.example.com', {}));
    expect(elsewhere.exit).toBe('usage');
    expect(elsewhere.message).toMatch(/^set CALLHOOK_ADMIN_KEY to the admin key of https:\/\//);
    expect(failureOf(() => apiTargetOf('http://127.0.0.1:3001', {})).exit).toBe('usage');
  });

  it('refuses plain http to another machine, and a URL with credentials or a query', () => {
    const env = { CALLHOOK_ADMIN_KEY: 'k' };

    expect(failureOf(() => apiTargetOf('http://10.0.0.5:3000', env)).message).toMatch(/use https/);
    expect(failureOf(() => apiTargetOf('https://u:p@calls.example.com', env)).exit).toBe('usage');
    expect(failureOf(() => apiTargetOf('https://calls.example.com/?a=1', env)).exit).toBe('usage');
    expect(failureOf(() => apiTargetOf('not a url', env)).exit).toBe('usage');
    expect(apiTargetOf('http://localhost:4000/prod', env).baseUrl.pathname).toBe('/prod');
  });
});

describe('parsing a command’s arguments', () => {
  const options = { limit: { type: 'string' }, json: { type: 'boolean' } } as const;

  it('gives the values and the positionals', () => {
    const parsed = parseCommandArgs(['c_1', '--limit', '5', '--json'], options, {
      min: 1,
      max: 1,
      names: 'one <call_id>',
    });

    expect(parsed.values).toEqual({ limit: '5', json: true });
    expect(parsed.positionals).toEqual(['c_1']);
  });

  it('an unknown option, a missing value or a wrong count is a usage error with the usage line', () => {
    const spec = { min: 1, max: 1, names: 'one <call_id>' };

    for (const argv of [['c_1', '--lmit', '5'], ['c_1', '--limit'], [], ['c_1', 'c_2']]) {
      const error = failureOf(() => parseCommandArgs(argv, options, spec));
      expect({ argv, exit: error.exit, showUsage: error.showUsage }).toEqual({
        argv,
        exit: 'usage',
        showUsage: true,
      });
    }
    expect(failureOf(() => parseCommandArgs(['a', 'b'], options, spec)).message).toBe(
      'expected one <call_id>, got 2: a b',
    );
  });
});

describe('running a command', () => {
  const command = (run: Command['run']): Command => ({
    summary: 'a test command',
    usage: '<thing>',
    options: [['--flag', 'does nothing']],
    run,
  });

  it('a CliError is its message on stderr and its exit code', async () => {
    const { io, out, err } = recorder();

    const code = await runCommand(
      command(async () => {
        throw new CliError('unauthorized', 'unauthorized: The admin key is wrong.');
      }),
      [],
      io,
      'callhook test',
    );

    expect(code).toBe(4);
    expect({ out, err }).toEqual({ out: [], err: ['unauthorized: The admin key is wrong.'] });
  });

  it('anything else is a bug: exit 70 with the stack', async () => {
    const { io, err } = recorder();

    const code = await runCommand(
      command(async () => {
        throw new TypeError('oops');
      }),
      [],
      io,
      'callhook test',
    );

    expect(code).toBe(EXIT.bug);
    expect(err[0]).toMatch(/^callhook failed \(a bug\): TypeError: oops\n {4}at /);
  });

  it('--help prints the command’s usage, its options and the exit codes', async () => {
    const { io, out } = recorder();

    const code = await runCli(['calls', 'get', '--help'], io);

    expect(code).toBe(0);
    expect(out[0]).toMatch(
      /^one call, its timeline and the event it was made for \(GET \/calls\/\{id\}\)\n\nusage: callhook calls get <call_id>/,
    );
    expect(out[0]).toContain('\n  --json  ');
    expect(out[0]).toMatch(/\nexit codes:\n {2}0 {3}done/);
  });

  it('no command, or a group without its subcommand, is a usage error with the main help', async () => {
    const none = recorder();
    const group = recorder();

    expect(await runCli([], none.io)).toBe(2);
    expect(await runCli(['calls'], group.io)).toBe(2);
    expect(none.err[0]).toMatch(/^no command given\n\ncallhook: /);
    expect(group.err[0]).toMatch(
      /^callhook calls needs one of: ls, get, find, export, retry, cancel, abandon, again\n/,
    );
  });
});

describe('the exit codes', () => {
  it('are the ones docs/operating.md lists, each with its code', async () => {
    const docs = await readFile('docs/operating.md', 'utf8');
    const section = docs.slice(docs.indexOf('### Exit codes'));
    const listed = [...section.matchAll(/^\| `(\d+)` \|/gm)].map((match) => Number(match[1]));

    expect(listed).toEqual(Object.values(EXIT));
  });
});
