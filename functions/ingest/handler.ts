import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { problemResponses } from '../../shared/http/problem-mapper.ts';
import { jsonResponse } from '../../shared/http/problem-response.ts';
import { rawRequestFrom } from '../../shared/http/raw-request.ts';
import { acceptWebhook, type IngestDeps } from '../../shared/ingest/accept-webhook.ts';
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
