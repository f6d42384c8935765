import { CALLS_ROUTE_KEYS } from '../functions/calls/routes.ts';
import { HEALTH_ROUTE_KEYS } from '../functions/health/routes.ts';

/**
 * The HTTP contract, shared by the local bridge and the AWS HTTP API: each function's routes,
 * as API Gateway's route keys (`METHOD /path`). The calls and health functions' come from their
 * tables (`functions/<name>/routes.ts`), where each is declared with what it does. The OpenAPI
 * description (`docs/openapi.json`) is held to this list by test/unit/openapi-spec.test.ts.
 */
const FUNCTION_ROUTES = {
  // OPTIONS: a browser route's CORS preflight (answered only for its sites); a GET is
  // answered 405 with `Allow: POST` by ingest, on AWS as locally.
  ingest: ['POST /hooks/{route}', 'OPTIONS /hooks/{route}', 'GET /hooks/{route}'],
  calls: CALLS_ROUTE_KEYS,
  events: ['POST /events/{account}'],
  health: HEALTH_ROUTE_KEYS,
  // The web console's page and files: static, no data (the page reads /calls with the key).
  console: ['GET /console', 'GET /console/{asset}'],
  // The "call me back" widget's files, and a browser route's public form settings.
  widget: ['GET /widget/{asset}', 'GET /hooks/{route}/form'],
} as const satisfies Record<string, readonly `${HttpMethod} /${string}`[]>;

type HttpMethod = 'GET' | 'POST' | 'OPTIONS';
export type ApiFunction = keyof typeof FUNCTION_ROUTES;

export interface ApiRoute {
  method: HttpMethod;
  path: string;
  function: ApiFunction;
}

export const API_ROUTES: readonly ApiRoute[] = Object.entries(FUNCTION_ROUTES).flatMap(
  ([fn, keys]) =>
    keys.map((key) => {
      const [method, path] = key.split(' ') as [HttpMethod, string];
      return { method, path, function: fn as ApiFunction };
    }),
);

/**
 * The WAF-guarded browser API's stage (`-c callhook:waf=true`): a REST API's address ends with
 * its stage's name, `https://<id>.execute-api.<region>.amazonaws.com/forms`.
 */
export const BROWSER_API_STAGE = 'forms';

/**
 * What the WAF-guarded browser API serves (a REST API: AWS WAF cannot guard an HTTP API): each
 * browser route's form, preflight and public settings, by the route's name, so that API Gateway
 * refuses any other route's path before a function runs; and the widget's files.
 */
export const browserApiRoutes = (browserRoutes: readonly string[]): readonly ApiRoute[] => [
  ...browserRoutes.flatMap((name): ApiRoute[] => [
    { method: 'POST', path: `/hooks/${name}`, function: 'ingest' },
    { method: 'OPTIONS', path: `/hooks/${name}`, function: 'ingest' },
    { method: 'GET', path: `/hooks/${name}/form`, function: 'widget' },
  ]),
  { method: 'GET', path: '/widget/{asset}', function: 'widget' },
];

/** The HTTP API's routes when the browser API serves the widget's: ingest's stay for the rest. */
export const httpApiRoutes = (browserApiGuarded: boolean): readonly ApiRoute[] =>
  browserApiGuarded ? API_ROUTES.filter((route) => route.function !== 'widget') : API_ROUTES;
