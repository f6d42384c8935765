import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { ProblemError } from '../../shared/http/problem-error.ts';
import { toProblem } from '../../shared/http/problem-mapper.ts';
import { problemResponse } from '../../shared/http/problem-response.ts';

/**
 * What a function behind API Gateway is sent: the HTTP API's payload 2.0, or the REST API's
 * payload 1.0. The REST API is the WAF-guarded browser API (`-c callhook:waf=true`), because
 * AWS WAF cannot be associated with an HTTP API; the ingest and widget functions serve both.
 * Which shape arrives is decided by the integration API Gateway calls, never by the client.
 */
export type ApiEvent = APIGatewayProxyEventV2 | APIGatewayProxyEvent;

type HttpApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** Payload 1.0 names the method `httpMethod`; 2.0 has it under `requestContext.http`. */
export const cameThroughRestApi = (event: ApiEvent): event is APIGatewayProxyEvent =>
  'httpMethod' in event;

/**
 * The browser API names each route in its resources (`/hooks/shop-form`, `/hooks/shop-form/form`)
 * rather than as a `{route}` parameter, so API Gateway itself refuses any other route's path: the
 * route's name is read back from the resource.
 */
const NAMED_ROUTE_RESOURCE = /^\/hooks\/([a-z0-9][a-z0-9-]*)(?:\/form)?$/;

/** Repeated values as the HTTP API joins them: with commas. */
const joined = (
  multi: Record<string, string[] | undefined> | null | undefined,
  single: Record<string, string | undefined> | null | undefined,
  lowercase: boolean,
): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(single ?? {})) {
    if (value !== undefined) out[lowercase ? name.toLowerCase() : name] = value;
  }
  for (const [name, values] of Object.entries(multi ?? {})) {
    if (values !== undefined && values.length > 0)
      out[lowercase ? name.toLowerCase() : name] = values.join(',');
  }
  return out;
};

/**
 * The REST API's event in the HTTP API's shape the handlers read: header names lowercased and
 * repeated values joined as the HTTP API does, the route's name as its path parameter, and the
 * client's address from `requestContext.identity.sourceIp`, which API Gateway sets from the
 * connection (a client's `X-Forwarded-For` never reaches it).
 */
export const asHttpApiEvent = (event: APIGatewayProxyEvent): APIGatewayProxyEventV2 => {
  const headers = joined(event.multiValueHeaders, event.headers, true);
  const query = joined(event.multiValueQueryStringParameters, event.queryStringParameters, false);
  const pathParameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.pathParameters ?? {})) {
    if (value !== undefined) pathParameters[name] = value;
  }
  const named = NAMED_ROUTE_RESOURCE.exec(event.resource);
  if (named?.[1] !== undefined) pathParameters.route = named[1];
  const routeKey = `${event.httpMethod} ${event.resource}`;
  const context = event.requestContext;
  return {
    version: '2.0',
    routeKey,
    rawPath: event.path,
    rawQueryString: new URLSearchParams(
      Object.entries(event.multiValueQueryStringParameters ?? {}).flatMap(([name, values]) =>
        (values ?? []).map((value): [string, string] => [name, value]),
      ),
    ).toString(),
    headers,
    ...(Object.keys(query).length > 0 && { queryStringParameters: query }),
    ...(Object.keys(pathParameters).length > 0 && { pathParameters }),
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      domainName: context.domainName ?? headers.host ?? '',
      domainPrefix: context.domainPrefix ?? '',
      http: {
        method: event.httpMethod,
        path: context.path,
        protocol: context.protocol,
        sourceIp: context.identity.sourceIp,
        userAgent: context.identity.userAgent ?? '',
      },
      requestId: context.requestId,
      routeKey,
      stage: context.stage,
      time: context.requestTime ?? new Date(context.requestTimeEpoch).toUTCString(),
      timeEpoch: context.requestTimeEpoch,
    },
    ...(event.body !== null && { body: event.body }),
    isBase64Encoded: event.isBase64Encoded,
  };
};

/**
 * A handler written for the HTTP API, serving both APIs: a REST API event is turned into the
 * HTTP API's shape (the answer's shape is the same for both). `refusedOnHttpApi` names the
 * requests that must come through the WAF-guarded API when it exists: the HTTP API's are then
 * answered 404, before the handler runs, so nothing around the WAF reaches a browser route.
 */
export const servingBothApis =
  (
    handler: HttpApiHandler,
    refusedOnHttpApi: (event: APIGatewayProxyEventV2) => boolean = () => false,
  ) =>
  async (event: ApiEvent, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    if (cameThroughRestApi(event)) return handler(asHttpApiEvent(event), context);
    if (refusedOnHttpApi(event)) {
      return problemResponse(
        toProblem(
          new ProblemError(
            'not_found',
            "This is answered only behind the deployment's web application firewall, at the address the widget is loaded from.",
          ),
        ),
      );
    }
    return handler(event, context);
  };

/** Set on the ingest and widget functions when the browser routes are behind AWS WAF. */
export const BROWSER_API_GUARDED_ENV = 'CALLHOOK_BROWSER_API_GUARDED';
