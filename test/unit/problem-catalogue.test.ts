import { describe, expect, it } from 'vitest';
import { PROBLEMS } from '../../shared/http/problem-error.ts';
import { documentedCodes } from '../support/documented-codes.ts';

describe('The problem catalogue', () => {
  it('is the error table of the docs: every code with its status, and no other', () => {
    const catalogue = Object.fromEntries(
      Object.entries(PROBLEMS).map(([code, problem]) => [code, problem.status]),
    );

    expect(Object.fromEntries(documentedCodes())).toEqual(catalogue);
  });
});
