import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * A JSON POST as API Gateway's HTTP API hands it to a function (payload format 2.0), with the
 * fields callhook's handlers read.
 */
export const jsonPost = (input: {
  routeKey: string;
  path: string;
  pathParameters: Record<string, string>;
  token: string;
  requestId: string;
  body: unknown;
}): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: input.path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'x-callhook-token': input.token },
    pathParameters: input.pathParameters,
    requestContext: { requestId: input.requestId, http: { method: 'POST', path: input.path } },
    isBase64Encoded: false,
    body: JSON.stringify(input.body),
  }) as unknown as APIGatewayProxyEventV2;
