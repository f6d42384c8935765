import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ApiEvent } from '../../functions/http/api-event.ts';
import type { HttpResponse } from '../../shared/http/problem-response.ts';
import { type ApiFunction, type ApiRoute, BROWSER_API_STAGE } from '../api-routes.ts';
import { compileRoutes, readBody, safeDecode, send } from './http-bridge.ts';
import { lambdaContext } from './lambda-context.ts';

/** A handler that serves both APIs (`servingBothApis`). */
export type RestApiHandler = (
  event: ApiEvent,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** What API Gateway's REST API answers itself, as it words it. */
const gatewayAnswer = (statusCode: number, message: string): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ message }),
});

/**
 * Turns a Node request into the event a REST API's Lambda proxy integration (payload 1.0) sends:
 * header names as the client sent them, single and repeated values apart, the path without the
 * stage, and the connection's address as `identity.sourceIp`. Without binary media types a REST
 * API passes every body as text.
 */
export const toRestApiEvent = (
  req: http.IncomingMessage,
  body: Buffer,
  route: ApiRoute,
  pathParameters: Record<string, string>,
): APIGatewayProxyEvent => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] ?? '';
    const value = req.rawHeaders[i + 1] ?? '';
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    multiQuery[name] = [...(multiQuery[name] ?? []), value];
  }
  const hasQuery = Object.keys(query).length > 0;
  const now = new Date();
  return {
    resource: route.path,
    path: url.pathname.slice(`/${BROWSER_API_STAGE}`.length),
    httpMethod: req.method ?? 'GET',
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
    stageVariables: null,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local-browser-api',
      authorizer: null,
      domainName: req.headers.host ?? 'localhost',
      domainPrefix: 'local-browser-api',
      httpMethod: req.method ?? 'GET',
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        user: null,
        userAgent: req.headers['user-agent'] ?? null,
        userArn: null,
      },
      path: url.pathname,
      protocol: `HTTP/${req.httpVersion}`,
      requestId: randomUUID(),
      requestTime: now.toUTCString(),
      requestTimeEpoch: now.getTime(),
      resourceId: 'local',
      resourcePath: route.path,
      stage: BROWSER_API_STAGE,
    },
    body: body.length > 0 ? body.toString('utf8') : null,
    isBase64Encoded: false,
  };
};

/**
 * The local stand-in for the WAF-guarded browser API (a REST API): its routes alone, under its
 * stage's path, each invoking the very handler Lambda would run with the REST API's event. (No
 * WAF runs here: its rules are AWS's, held by the stack test.)
 */
export const startRestApiBridge = async (
  handlers: Partial<Record<ApiFunction, RestApiHandler>>,
  routes: readonly ApiRoute[],
  options: { host: string; port: number },
): Promise<{ url: string; close(): Promise<void> }> => {
  const compiled = compileRoutes(routes);
  const prefix = `/${BROWSER_API_STAGE}`;
  const server = http.createServer(async (req, res) => {
    try {
      const full = new URL(req.url ?? '/', 'http://localhost').pathname;
      const path = full.startsWith(`${prefix}/`) ? full.slice(prefix.length) : undefined;
      const route =
        path === undefined
          ? undefined
          : compiled.find((r) => r.method === req.method && r.regex.test(path));
      const handler = route === undefined ? undefined : handlers[route.function];
      // A REST API's answer to a path or method it has no method for.
      if (route === undefined || path === undefined || handler === undefined)
        return send(res, gatewayAnswer(403, 'Missing Authentication Token'));
      const body = await readBody(req);
      if (body === undefined) return send(res, gatewayAnswer(413, 'Request Too Long'));
      const match = route.regex.exec(path) ?? [];
      const pathParameters = Object.fromEntries(
        route.names.map((name, i) => [name, safeDecode(match[i + 1] ?? '')]),
      );
      const event = toRestApiEvent(req, body, route, pathParameters);
      send(res, await handler(event, lambdaContext(route.function)));
    } catch {
      // What a REST API answers when the function itself fails.
      send(res, gatewayAnswer(502, 'Internal server error'));
    }
  });
  server.listen(options.port, options.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}${prefix}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
};
