import type { QueryParameters } from '../../shared/calls/call-list.ts';
import { ProblemError, quoteInput } from '../../shared/http/problem-error.ts';

/** An endpoint that takes its input in the body: a query parameter is a mistake, said so. */
export const noQuery = (query: QueryParameters, endpoint: string): void => {
  const [name] = Object.keys(query);
  if (name !== undefined)
    throw new ProblemError(
      'invalid_filter',
      `Unknown parameter ${quoteInput(name)}; ${endpoint} takes none.`,
      { parameter: name },
    );
};

/** The body as an object with only `allowed` fields; no body is an empty one. */
export const objectBody = (body: unknown, allowed: readonly string[]): Record<string, unknown> => {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ProblemError('malformed_body', 'Send a JSON object, or no body.');
  for (const name of Object.keys(body)) {
    if (!allowed.includes(name))
      throw new ProblemError(
        'invalid_filter',
        `Unknown field ${quoteInput(name)}; send ${allowed.join(', ')}.`,
        { parameter: name },
      );
  }
  return body as Record<string, unknown>;
};

/** A field that is true, false or absent (false). */
export const booleanField = (fields: Record<string, unknown>, name: string): boolean => {
  const value = fields[name];
  if (value === undefined) return false;
  if (typeof value !== 'boolean')
    throw new ProblemError('invalid_filter', `${name} must be true or false.`, { parameter: name });
  return value;
};
