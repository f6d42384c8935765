import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BackendErrorClass } from '../../shared/backends/backend-error.ts';
import { classifyDataApiError } from '../../shared/backends/callapi/data-api/data-api-error.ts';

/** The overview's error lists, copied as data (code and mnemonic of each). */
const documented = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '..', 'fixtures', 'dataapi-examples', 'errors.json'),
    'utf8',
  ),
) as { errors: { code: number; mnemonic: string }[] };

/** What each documented error means for a caller that only reads, by mnemonic. */
const EXPECTED: Record<string, BackendErrorClass> = {
  limit_exceeded: 'limit',
  access_token_expired: 'auth',
  access_token_blocked: 'auth',
  access_token_invalid: 'auth',
  auth_error: 'auth',
  ip_not_whitelisted: 'config',
  method_component_disabled: 'config',
  parameter_component_disabled: 'config',
  account_inactive: 'config',
  internal_error: 'ambiguous',
};

describe('classifyDataApiError: the overview error lists', () => {
  it.each(documented.errors)('$code $mnemonic', ({ code, mnemonic }) => {
    // `forbidden` is documented twice: -32003 (no right to the method) and -32602 (delete).
    const expected =
      mnemonic === 'forbidden'
        ? code === -32003
          ? 'config'
          : 'rejected'
        : (EXPECTED[mnemonic] ?? 'rejected');

    expect(classifyDataApiError(code)).toBe(expected);
  });

  it('covers every error group the overview names', () => {
    const codes = new Set(documented.errors.map((error) => error.code));

    expect(codes).toEqual(
      new Set([
        -32700, -32600, -32601, -32602, -32603, -32001, -32003, -32008, -32009, -32029, -32099,
      ]),
    );
  });
});
