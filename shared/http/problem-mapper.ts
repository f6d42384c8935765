import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Logger } from '../logging/logger.ts';
import { ProblemError } from './problem-error.ts';
import { type Problem, problemResponse, problemType } from './problem-response.ts';

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
    title: 'Internal error',
    status: 500,
    detail: 'callhook could not handle this request. The error has been logged.',
    code: 'internal_error',
  };
};

/**
 * The one place where errors become HTTP answers. Every HTTP handler uses it, and no handler
 * maps errors itself.
 */
export const problemResponses = (
  logger: Logger,
): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> => ({
  onError: async (request) => {
    const problem = toProblem(request.error);
    if (problem.status >= 500) {
      logger.error('request failed', { error: request.error, path: request.event.rawPath });
    } else {
      logger.info('request rejected', { code: problem.code, path: request.event.rawPath });
    }
    request.response = problemResponse(problem);
  },
});
