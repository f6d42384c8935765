import type { Problem } from '../contract/admin-schemas.ts';
import type { ProblemCode } from './problem-error.ts';

/** An HTTP answer as API Gateway's HTTP API (and the local bridge) take it from a handler. */
export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * RFC 9457 problem details, plus callhook's stable machine `code`: the contract's Problem schema
 * (shared/contract/admin-schemas.ts; its type only, so no bundle carries the contract).
 */
export type { Problem };

export const problemType = (code: ProblemCode): Problem['type'] => `urn:callhook:problem:${code}`;

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
