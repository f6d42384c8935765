import { ProblemError } from './problem-error.ts';
import type { RawRequest } from './raw-request.ts';

export type Payload = Record<string, unknown>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

const decodeUtf8 = (body: Buffer): string => {
  try {
    return utf8.decode(body);
  } catch (error) {
    throw new ProblemError('malformed_body', 'The body is not valid UTF-8.', {}, { cause: error });
  }
};

const mediaTypeOf = (header: string | undefined) => {
  if (header === undefined) return undefined;
  const [type = '', ...parameters] = header.split(';').map((part) => part.trim());
  const charset = parameters
    .map((parameter) => parameter.split('='))
    .find(([name]) => name?.toLowerCase() === 'charset')?.[1];
  return { type: type.toLowerCase(), charset: charset?.replace(/"/g, '').toLowerCase() };
};

/** DynamoDB's own limit for a document; no webhook we map needs more. */
export const MAX_JSON_DEPTH = 32;

/** Measured with an explicit stack: a recursive walk would overflow on the very input it guards. */
const depthExceeds = (value: unknown, limit: number): boolean => {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
};

const parseJsonObject = (text: string): Payload => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ProblemError('malformed_body', 'The body is not valid JSON.', {}, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProblemError('malformed_body', 'The body must be a JSON object.');
  }
  if (depthExceeds(value, MAX_JSON_DEPTH)) {
    throw new ProblemError(
      'malformed_body',
      `The body is nested deeper than ${MAX_JSON_DEPTH} levels.`,
    );
  }
  return value as Payload;
};

const parseForm = (text: string): Payload => Object.fromEntries(new URLSearchParams(text));

export interface PayloadOptions {
  /**
   * Whether query parameters are fields of the event. Only where the sender cannot sign: on a
   * signed route nothing unsigned may add to the payload.
   */
  queryFields?: boolean;
  /** Query parameters that carry credentials and are never fields. */
  omitQuery?: readonly string[];
  /**
   * How to read the body whatever the request's Content-Type says. A signed route fixes it,
   * since the header is not signed: the same signed bytes read as a form are another event.
   */
  bodyFormat?: 'json' | 'form';
}

const parseBody = (text: string, format: 'json' | 'form'): Payload =>
  format === 'json' ? parseJsonObject(text) : parseForm(text);

const formatFromContentType = (header: string | undefined): 'json' | 'form' => {
  const mediaType = mediaTypeOf(header);
  if (mediaType === undefined) {
    throw new ProblemError(
      'unsupported_media_type',
      'A body needs a Content-Type: application/json or application/x-www-form-urlencoded.',
    );
  }
  if (mediaType.charset !== undefined && mediaType.charset !== 'utf-8') {
    throw new ProblemError('unsupported_media_type', 'Only the UTF-8 charset is accepted.');
  }
  if (mediaType.type === 'application/json' || mediaType.type.endsWith('+json')) return 'json';
  if (mediaType.type === 'application/x-www-form-urlencoded') return 'form';
  throw new ProblemError(
    'unsupported_media_type',
    'Content-Type must be application/json or application/x-www-form-urlencoded.',
  );
};

/**
 * The event's fields: query parameters first (where they count), then the body's fields over
 * them (JSON or form-urlencoded, UTF-8 only).
 */
export const parsePayload = (request: RawRequest, options: PayloadOptions = {}): Payload => {
  const { queryFields = true, omitQuery = [], bodyFormat } = options;
  const fromQuery: Payload = {};
  if (queryFields) {
    for (const [name, value] of Object.entries(request.query)) {
      if (!omitQuery.includes(name)) fromQuery[name] = value;
    }
  }
  if (request.body.length === 0) return fromQuery;
  const format = bodyFormat ?? formatFromContentType(request.headers['content-type']);
  return { ...fromQuery, ...parseBody(decodeUtf8(request.body), format) };
};
