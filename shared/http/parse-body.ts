import { MalformedBodyError, UnsupportedMediaTypeError } from './problem-error.ts';
import type { RawRequest } from './raw-request.ts';

export type Payload = Record<string, unknown>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

const decodeUtf8 = (body: Buffer): string => {
  try {
    return utf8.decode(body);
  } catch (error) {
    throw new MalformedBodyError('The body is not valid UTF-8.', { cause: error });
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
    throw new MalformedBodyError('The body is not valid JSON.', { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedBodyError('The body must be a JSON object.');
  }
  if (depthExceeds(value, MAX_JSON_DEPTH)) {
    throw new MalformedBodyError(`The body is nested deeper than ${MAX_JSON_DEPTH} levels.`);
  }
  return value as Payload;
};

const parseForm = (text: string): Payload => Object.fromEntries(new URLSearchParams(text));

/**
 * The event's fields: query parameters first, then the body's fields over them (JSON or
 * form-urlencoded, UTF-8 only). `omitQuery` names query parameters that carry credentials.
 */
export const parsePayload = (request: RawRequest, omitQuery: readonly string[] = []): Payload => {
  const fromQuery: Payload = {};
  for (const [name, value] of Object.entries(request.query)) {
    if (!omitQuery.includes(name)) fromQuery[name] = value;
  }
  if (request.body.length === 0) return fromQuery;

  const mediaType = mediaTypeOf(request.headers['content-type']);
  if (mediaType === undefined) {
    throw new UnsupportedMediaTypeError(
      'A body needs a Content-Type: application/json or application/x-www-form-urlencoded.',
    );
  }
  if (mediaType.charset !== undefined && mediaType.charset !== 'utf-8') {
    throw new UnsupportedMediaTypeError('Only the UTF-8 charset is accepted.');
  }
  if (mediaType.type === 'application/json' || mediaType.type.endsWith('+json')) {
    return { ...fromQuery, ...parseJsonObject(decodeUtf8(request.body)) };
  }
  if (mediaType.type === 'application/x-www-form-urlencoded') {
    return { ...fromQuery, ...parseForm(decodeUtf8(request.body)) };
  }
  throw new UnsupportedMediaTypeError(
    'Content-Type must be application/json or application/x-www-form-urlencoded.',
  );
};
