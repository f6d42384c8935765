import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ProblemError, quoteInput } from '../../shared/http/problem-error.ts';
import { toProblem } from '../../shared/http/problem-mapper.ts';
import { problemResponse } from '../../shared/http/problem-response.ts';
import { healthAnswerFor } from './routes.ts';

/**
 * GET /health (the API answers) and GET /openapi.json (its description), by route key.
 * Deliberately touches no dependency.
 */
export const handler = async (
  event: Pick<APIGatewayProxyEventV2, 'routeKey' | 'rawPath'>,
): Promise<APIGatewayProxyStructuredResultV2> => {
  const answer = healthAnswerFor(event.routeKey);
  if (answer !== undefined) return answer();
  return problemResponse(
    toProblem(new ProblemError('not_found', `Nothing answers ${quoteInput(event.rawPath)}.`)),
  );
};
