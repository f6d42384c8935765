import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { ProblemError, quoteInput } from '../../shared/http/problem-error.ts';
import { toProblem } from '../../shared/http/problem-mapper.ts';
import { problemResponse } from '../../shared/http/problem-response.ts';
import { API_ROUTES, type ApiFunction, type ApiRoute } from '../api-routes.ts';
import { lambdaContext } from './lambda-context.ts';

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** API Gateway refuses larger requests before they reach a function. */
export const GATEWAY_MAX_BODY = 10 * 1024 * 1024;
const TEXT_TYPES = /^(application\/(json|x-www-form-urlencoded|[\w.+-]+\+json)|text\/)/i;

/** Each route with the pattern its path matches and the names of its parameters, in order. */
export const compileRoutes = (routes: readonly ApiRoute[]) =>
  routes.map((route) => {
    const names: string[] = [];
    const pattern = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    return { ...route, names, regex: new RegExp(`^${pattern}$`) };
  });

/** Turns a Node request into the HTTP API (payload v2) event API Gateway would send. */
export const toApiGatewayEvent = (
  req: http.IncomingMessage,
  body: Buffer,
  routeKey: string,
  pathParameters: Record<string, string>,
): APIGatewayProxyEventV2 => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // API Gateway joins repeated query parameters with commas.
  const query: Record<string, string> = {};
  for (const name of new Set(url.searchParams.keys())) {
    query[name] = url.searchParams.getAll(name).join(',');
  }
  // Text goes as a string; anything else, or text that is not UTF-8, as its exact bytes in base64.
  const isText = TEXT_TYPES.test(headers['content-type'] ?? '') && isUtf8(body);
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length > 0 && { queryStringParameters: query }),
    ...(Object.keys(pathParameters).length > 0 && { pathParameters }),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 && {
      body: isText ? body.toString('utf8') : body.toString('base64'),
    }),
    isBase64Encoded: body.length > 0 && !isText,
  };
};

export const send = (res: http.ServerResponse, result: APIGatewayProxyStructuredResultV2) => {
  const body =
    result.body === undefined
      ? ''
      : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  res.writeHead(result.statusCode ?? 200, { ...result.headers, 'content-length': body.length });
  res.end(body);
};

/** API Gateway passes a malformed escape through undecoded rather than failing. */
export const safeDecode = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

export const readBody = async (req: http.IncomingMessage): Promise<Buffer | undefined> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > GATEWAY_MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
};

/**
 * The local stand-in for API Gateway: matches the route, builds the event, and invokes the very
 * handler Lambda would run.
 */
export const startHttpBridge = async (
  handlers: Record<ApiFunction, HttpHandler>,
  options: {
    host: string;
    port: number;
    /** The HTTP API's routes: all of them unless the browser API serves some (`httpApiRoutes`). */
    routes?: readonly ApiRoute[];
  },
): Promise<{ url: string; close(): Promise<void> }> => {
  const compiled = compileRoutes(options.routes ?? API_ROUTES);
  const server = http.createServer(async (req, res) => {
    try {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const route = compiled.find((r) => r.method === req.method && r.regex.test(path));
      const allowed = [...new Set(compiled.filter((r) => r.regex.test(path)).map((r) => r.method))];
      if (route === undefined && allowed.length > 0) {
        // The path is one of ours with another method: say which methods it takes.
        return send(
          res,
          problemResponse(
            toProblem(
              new ProblemError(
                'method_not_allowed',
                `${quoteInput(path)} takes ${allowed.join(', ')}, not ${quoteInput(req.method ?? '')}.`,
              ),
            ),
            { allow: allowed.join(', ') },
          ),
        );
      }
      if (route === undefined) {
        return send(
          res,
          problemResponse(
            toProblem(
              new ProblemError(
                'not_found',
                `Nothing answers ${req.method ?? ''} ${quoteInput(path)}.`,
              ),
            ),
          ),
        );
      }
      const body = await readBody(req);
      if (body === undefined) {
        return send(
          res,
          problemResponse(
            toProblem(
              new ProblemError(
                'payload_too_large',
                `The body is larger than ${GATEWAY_MAX_BODY / 1024 / 1024} MiB, the most API Gateway takes.`,
              ),
            ),
            // The rest of the body is not read: the connection ends with the answer.
            { connection: 'close' },
          ),
        );
      }
      const match = route.regex.exec(path) ?? [];
      const pathParameters = Object.fromEntries(
        route.names.map((name, i) => [name, safeDecode(match[i + 1] ?? '')]),
      );
      const event = toApiGatewayEvent(req, body, `${route.method} ${route.path}`, pathParameters);
      send(res, await handlers[route.function](event, lambdaContext(route.function)));
    } catch {
      // What API Gateway answers when the function itself fails.
      send(res, { statusCode: 500, body: '{"message":"Internal Server Error"}' });
    }
  });
  server.listen(options.port, options.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
};
