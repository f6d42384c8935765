import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { browserRouteNames } from '../../shared/config/browser-routes.ts';
import { ProblemError } from '../../shared/http/problem-error.ts';
import { jsonResponse } from '../../shared/http/problem-response.ts';
import { acceptWebhook, type IngestDeps } from '../../shared/ingest/accept-webhook.ts';
import { answerPreflight, corsHeadersFor } from '../../shared/ingest/browser-cors.ts';
import { servingBothApis } from '../http/api-event.ts';
import { problemResponses } from '../http/problem-responses.ts';
import { rawRequestFrom } from '../http/raw-request-from.ts';

type Middleware = middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

/**
 * A browser route's answers, refusals included, carry CORS headers for a page on one of its
 * sites (and only for one): added after the answer, or the problem, is made.
 */
const browserCors = (deps: IngestDeps): Middleware => {
  const add = async (
    request: middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>,
  ) => {
    const headers = corsHeadersFor(
      deps.config,
      request.event.pathParameters?.route ?? '',
      request.event.headers?.origin,
    );
    if (request.response === undefined || request.response === null) return;
    request.response.headers = { ...request.response.headers, ...headers };
  };
  return { after: add, onError: add };
};

/** POST /hooks/{route}; OPTIONS /hooks/{route}, a browser route's preflight; a GET is told to POST. */
export const createIngestHandler = (deps: IngestDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    // Its onError runs after the problem's answer is made (middy runs them in reverse).
    .use(browserCors(deps))
    .use(problemResponses(deps.logger))
    .handler(async (event) => {
      const routeName = event.pathParameters?.route ?? '';
      if (event.requestContext.http.method === 'OPTIONS') {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(event.headers ?? {})) {
          if (value !== undefined) headers[name.toLowerCase()] = value;
        }
        return answerPreflight(deps.config, routeName, headers);
      }
      if (event.requestContext.http.method !== 'POST')
        throw new ProblemError(
          'method_not_allowed',
          'A webhook is a POST: send the event as the body of a POST to this URL.',
          {},
          { headers: { allow: 'POST' } },
        );
      const accepted = await acceptWebhook(deps, routeName, rawRequestFrom(event));
      // A new call is a resource the sender may look up (with the admin key).
      const location =
        accepted.statusCode === 202 ? { location: `/calls/${accepted.body.call_id}` } : undefined;
      return jsonResponse(accepted.statusCode, accepted.body, location);
    });

/**
 * Ingest as API Gateway invokes it: from the HTTP API, and from the WAF-guarded browser API
 * when the deployment has one (`browserApiGuarded`), which then alone answers browser routes.
 */
export const createIngestEntry = (deps: IngestDeps, options: { browserApiGuarded: boolean }) => {
  const browserRoutes = new Set(browserRouteNames(deps.config));
  return servingBothApis(
    createIngestHandler(deps),
    (event) => options.browserApiGuarded && browserRoutes.has(event.pathParameters?.route ?? ''),
  );
};
