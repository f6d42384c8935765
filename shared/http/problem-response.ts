/** An HTTP answer as API Gateway's HTTP API (and the local bridge) take it from a handler. */
export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem details, plus callhook's stable machine `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  [extension: string]: unknown;
}

export const problemType = (code: string): string => `urn:callhook:problem:${code}`;

/** `headers`: what the problem's answer carries besides its type (`Retry-After`). */
export const problemResponse = (
  problem: Problem,
  headers: Readonly<Record<string, string>> = {},
): HttpResponse => ({
  statusCode: problem.status,
  headers: { ...headers, 'content-type': PROBLEM_CONTENT_TYPE },
  body: JSON.stringify(problem),
});

export const jsonResponse = (
  statusCode: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): HttpResponse => ({
  statusCode,
  headers: { ...headers, 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
