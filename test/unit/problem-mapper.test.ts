import { describe, expect, it } from 'vitest';
import {
  IdempotencyConflictError,
  ProblemError,
  UnknownRouteError,
} from '../../shared/http/problem-error.ts';
import { toProblem } from '../../shared/http/problem-mapper.ts';

describe('Function: toProblem', () => {
  it('answers a problem error with its status, code and detail', () => {
    expect(toProblem(new UnknownRouteError('shop'))).toEqual({
      type: 'urn:callhook:problem:unknown_route',
      title: 'Unknown route',
      status: 404,
      code: 'unknown_route',
      detail: 'No route named "shop" is configured.',
    });
  });

  it('carries extension members', () => {
    expect(toProblem(new IdempotencyConflictError('c_1'))).toMatchObject({ call_id: 'c_1' });
  });

  it('keeps its own status and code whatever the extensions are called', () => {
    const error = new ProblemError({
      status: 409,
      code: 'not_cancellable',
      title: 'Call cannot be cancelled',
      detail: 'done',
      extensions: { status: 'completed', code: 'x' },
    });

    expect(toProblem(error)).toMatchObject({ status: 409, code: 'not_cancellable' });
  });

  it('answers anything else with a 500 that reveals nothing of the error', () => {
    const problem = toProblem(new Error('connect ECONNREFUSED 10.0.0.7:8000 token=abc'));

    expect(problem).toMatchObject({ status: 500, code: 'internal_error' });
    expect(JSON.stringify(problem)).not.toMatch(/ECONNREFUSED|10\.0\.0\.7|token/);
  });

  it('cuts long user input in a detail', () => {
    expect(toProblem(new UnknownRouteError('x'.repeat(500))).detail.length).toBeLessThan(120);
  });
});
