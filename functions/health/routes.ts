import openApi from '../../docs/openapi.json' with { type: 'json' };
import { type HttpResponse, jsonResponse } from '../../shared/http/problem-response.ts';

/** The health function's route keys, as API Gateway sends them in `routeKey`. */
export type HealthRouteKey = `GET /${string}`;

/**
 * The description as text once, at cold start: it is the same for every request. It is in the
 * bundle (esbuild inlines the import), so answering it reads nothing.
 */
const OPENAPI_TEXT = JSON.stringify(openApi);

/**
 * The routes that need no dependency, each with its answer: `infra/api-routes.ts` (the local
 * bridge's and the AWS HTTP API's routes) is built from this table's keys.
 */
export const HEALTH_ROUTES = {
  'GET /health': () => jsonResponse(200, { status: 'ok' }),
  // It changes only with a deploy; a client or a CDN may keep it for a while.
  'GET /openapi.json': () => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' },
    body: OPENAPI_TEXT,
  }),
} satisfies Record<HealthRouteKey, () => HttpResponse>;

export const HEALTH_ROUTE_KEYS = Object.keys(HEALTH_ROUTES) as (keyof typeof HEALTH_ROUTES)[];

/** The answer of an API Gateway route key, if it is one of the table's. */
export const healthAnswerFor = (routeKey: string): (() => HttpResponse) | undefined =>
  Object.hasOwn(HEALTH_ROUTES, routeKey)
    ? HEALTH_ROUTES[routeKey as keyof typeof HEALTH_ROUTES]
    : undefined;
