import type { CallhookConfig } from '../config/schema.ts';
import { ProblemError, quoteInput } from '../http/problem-error.ts';
import type { HttpResponse } from '../http/problem-response.ts';

/** The route's browser settings, when it is a browser route. */
const browserRoute = (config: CallhookConfig, routeName: string) => {
  const route = Object.hasOwn(config.routes, routeName) ? config.routes[routeName] : undefined;
  return route?.auth.type === 'browser' ? route.auth : undefined;
};

/**
 * The CORS headers of an answer to a browser route's form, for a page on one of its sites: so
 * that the page reads the answer (a refusal included, with its Retry-After). None for any other
 * origin or route: a browser then keeps the answer from the page.
 */
export const corsHeadersFor = (
  config: CallhookConfig,
  routeName: string,
  origin: string | undefined,
): Record<string, string> => {
  const auth = browserRoute(config, routeName);
  if (auth === undefined || origin === undefined || !auth.origins.includes(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': 'Retry-After',
    vary: 'Origin',
  };
};

/** How long a browser may keep a preflight's answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * `OPTIONS /hooks/{route}`: a browser's preflight of the form's JSON post, answered for the
 * route's own sites and for a POST only; anything else is `origin_not_allowed`, without CORS
 * headers, so the browser never sends the post.
 */
export const answerPreflight = (
  config: CallhookConfig,
  routeName: string,
  headers: Readonly<Record<string, string>>,
): HttpResponse => {
  if (!Object.hasOwn(config.routes, routeName)) {
    throw new ProblemError(
      'unknown_route',
      `No route named ${quoteInput(routeName)} is configured.`,
    );
  }
  const allowed = corsHeadersFor(config, routeName, headers.origin);
  if (allowed['access-control-allow-origin'] === undefined) {
    throw new ProblemError('origin_not_allowed', 'This route does not take forms from that site.');
  }
  if (headers['access-control-request-method'] !== 'POST') {
    throw new ProblemError('origin_not_allowed', 'A form may only POST to this route.');
  }
  return {
    statusCode: 204,
    headers: {
      ...allowed,
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'Content-Type',
      'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
      vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    },
    body: '',
  };
};
