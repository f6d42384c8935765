import { PROBLEMS, ProblemError } from './problem-error.ts';
import { type Problem, problemType } from './problem-response.ts';

/** Turns any error into the HTTP answer. */
export const toProblem = (error: unknown): Problem => {
  if (error instanceof ProblemError) {
    // Extensions first: none of them may replace the members every answer relies on.
    return {
      ...error.extensions,
      type: problemType(error.code),
      title: error.title,
      status: error.status,
      detail: error.message,
      code: error.code,
    };
  }
  // Anything else is our fault: the body says so and nothing more, so no internals leak.
  return {
    type: problemType('internal_error'),
    title: PROBLEMS.internal_error.title,
    status: PROBLEMS.internal_error.status,
    detail: 'callhook could not handle this request. The error has been logged.',
    code: 'internal_error',
  };
};
