import type { ProbeOutcome } from './probe-report.ts';

/**
 * A failure no backend classified (a bug, an SDK error reading the secret). Its message is kept,
 * since it is what an operator needs (an AWS error names the action it was denied), except a
 * `SyntaxError`'s: JSON.parse quotes the text it could not read, which may be a secret.
 */
export const unexpectedFailure = (error: unknown): ProbeOutcome => {
  if (!(error instanceof Error))
    return { status: 'failed', error: 'probe_error', detail: 'failed' };
  return {
    status: 'failed',
    error: 'probe_error',
    detail: error instanceof SyntaxError ? error.name : `${error.name}: ${error.message}`,
  };
};
