import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ProblemError } from '../../shared/http/problem-error.ts';
import { jsonResponse } from '../../shared/http/problem-response.ts';
import { acceptWebhook, type IngestDeps } from '../../shared/ingest/accept-webhook.ts';
import { problemResponses } from '../http/problem-responses.ts';
import { rawRequestFrom } from '../http/raw-request-from.ts';

/** POST /hooks/{route}; a GET is told to POST. */
export const createIngestHandler = (deps: IngestDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(problemResponses(deps.logger))
    .handler(async (event) => {
      if (event.requestContext.http.method !== 'POST')
        throw new ProblemError(
          'method_not_allowed',
          'A webhook is a POST: send the event as the body of a POST to this URL.',
          {},
          { headers: { allow: 'POST' } },
        );
      const accepted = await acceptWebhook(
        deps,
        event.pathParameters?.route ?? '',
        rawRequestFrom(event),
      );
      // A new call is a resource the sender may look up (with the admin key).
      const location =
        accepted.statusCode === 202 ? { location: `/calls/${accepted.body.call_id}` } : undefined;
      return jsonResponse(accepted.statusCode, accepted.body, location);
    });
