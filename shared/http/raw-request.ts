import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { PayloadTooLargeError } from './problem-error.ts';

export const MAX_BODY_BYTES = 256 * 1024;

/** The parts of an HTTP request a webhook verifier and parser need, independent of API Gateway. */
export interface RawRequest {
  /** Header names lowercased. */
  headers: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string>>;
  body: Buffer;
}

/** Reads the request, refusing bodies over the limit before anything else looks at them. */
export const rawRequestFrom = (event: APIGatewayProxyEventV2): RawRequest => {
  const body =
    event.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  if (body.length > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined) query[name] = value;
  }
  return { headers, query, body };
};
