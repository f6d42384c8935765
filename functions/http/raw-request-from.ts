import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ProblemError } from '../../shared/http/problem-error.ts';
import { MAX_BODY_BYTES, type RawRequest } from '../../shared/http/raw-request.ts';

/** Reads the request, refusing bodies over the limit before anything else looks at them. */
export const rawRequestFrom = (event: APIGatewayProxyEventV2): RawRequest => {
  const body =
    event.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  if (body.length > MAX_BODY_BYTES)
    throw new ProblemError('payload_too_large', `The body is larger than ${MAX_BODY_BYTES} bytes.`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined) query[name] = value;
  }
  const sourceIp = event.requestContext?.http?.sourceIp;
  return { headers, query, body, ...(sourceIp !== undefined && { sourceIp }) };
};
