import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ProblemError } from '../../shared/http/problem-error.ts';
import { toProblem } from '../../shared/http/problem-mapper.ts';
import { problemResponse } from '../../shared/http/problem-response.ts';
import type { Logger } from '../../shared/logging/logger.ts';

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
    const headers = request.error instanceof ProblemError ? request.error.headers : {};
    request.response = problemResponse(problem, headers);
  },
});
