import { describe, expect, it } from 'vitest';
import { ProblemError, quoteInput } from '../../shared/http/problem-error.ts';
import { toProblem } from '../../shared/http/problem-mapper.ts';

describe('Function: toProblem', () => {
  it("answers a problem error with its code's status and title, and its detail", () => {
    expect(toProblem(new ProblemError('unknown_route', 'No route named "shop".'))).toEqual({
      type: 'urn:callhook:problem:unknown_route',
      title: 'Unknown route',
      status: 404,
      code: 'unknown_route',
      detail: 'No route named "shop".',
    });
  });

  it('carries extension members', () => {
    const conflict = new ProblemError('idempotency_conflict', 'taken', { call_id: 'c_1' });
    expect(toProblem(conflict)).toMatchObject({ call_id: 'c_1' });
  });

  it('keeps its own status and code whatever the extensions are called', () => {
    const error = new ProblemError('not_cancellable', 'done', { status: 'completed', code: 'x' });

    expect(toProblem(error)).toMatchObject({ status: 409, code: 'not_cancellable' });
  });

  it('answers anything else with a 500 that reveals nothing of the error', () => {
    const problem = toProblem(new Error('connect ECONNREFUSED 10.0.0.7:8000 token=abc'));

    expect(problem).toMatchObject({ status: 500, code: 'internal_error', title: 'Internal error' });
    expect(JSON.stringify(problem)).not.toMatch(/ECONNREFUSED|10\.0\.0\.7|token/);
  });
});

describe('Function: quoteInput', () => {
  it('cuts long user input quoted in a detail', () => {
    expect(quoteInput('x'.repeat(500)).length).toBeLessThan(70);
    expect(quoteInput('shop')).toBe('"shop"');
  });
});
