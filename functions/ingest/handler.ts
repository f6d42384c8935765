import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { jsonResponse } from '../../shared/http/problem-response.ts';
import { acceptWebhook, type IngestDeps } from '../../shared/ingest/accept-webhook.ts';
import { problemResponses } from '../http/problem-responses.ts';
import { rawRequestFrom } from '../http/raw-request-from.ts';
import { lazyHandler } from '../lazy-handler.ts';

/** POST /hooks/{route} */
export const createIngestHandler = (deps: IngestDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(problemResponses(deps.logger))
    .handler(async (event) => {
      const accepted = await acceptWebhook(
        deps,
        event.pathParameters?.route ?? '',
        rawRequestFrom(event),
      );
      return jsonResponse(accepted.statusCode, accepted.body);
    });

export const handler = lazyHandler(async () => {
  const { awsIngestDeps } = await import('./aws-deps.ts');
  return createIngestHandler(await awsIngestDeps());
});
