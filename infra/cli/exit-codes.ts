import { hanging } from './format.ts';

/**
 * The exit codes of `callhook`, which scripts branch on: each named once, with what it means
 * (for `--help` and docs/operating.md). A name without a meaning does not compile.
 */
export const EXIT = {
  ok: 0,
  refused: 1,
  usage: 2,
  unreachable: 3,
  unauthorized: 4,
  bug: 70,
} as const;

export type ExitName = keyof typeof EXIT;

export const EXIT_MEANINGS: Record<ExitName, string> = {
  ok: 'done (send: the route answered 2xx)',
  refused:
    'the API refused the request with a 4xx problem: no such call, not retryable now, a bad filter (send: the route answered 4xx)',
  usage:
    'the command cannot run as given: an unknown command or option, a missing argument, no CALLHOOK_ADMIN_KEY for a --url other than the local one, a plain-http --url to another machine (send: an unknown route, a config or secrets file it cannot use)',
  unreachable:
    'nothing answered at --url in time, or it answered 5xx or something that is not the API',
  unauthorized:
    'the API refused the admin key (401 or 403; send: the route refused the credential)',
  bug: 'callhook itself failed (a bug: the stack is on stderr)',
};

/** A command that cannot go on: the message for stderr, and the exit code it ends with. */
export class CliError extends Error {
  constructor(
    readonly exit: Exclude<ExitName, 'ok' | 'bug'>,
    message: string,
    /** Whether the command's usage line follows the message (a bad option, say). */
    readonly showUsage = false,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** `  0   done` …, for `--help`. */
export const exitCodeLines = (): string[] =>
  (Object.keys(EXIT) as ExitName[]).map((name) =>
    hanging(`  ${String(EXIT[name]).padEnd(4)}`, EXIT_MEANINGS[name]),
  );
