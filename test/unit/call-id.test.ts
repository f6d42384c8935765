import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCallId } from '../../shared/calls/call-id.ts';
import { callIdFor, type KeySource } from '../../shared/calls/idempotency.ts';

describe('Function: isCallId', () => {
  it('holds for every id callIdFor derives', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.constantFrom<KeySource>('header', 'route', 'content'),
        fc.string(),
        (route, source, key) => isCallId(callIdFor(route, source, key)),
      ),
    );
  });

  it.each([
    '',
    'c_',
    'c_abandoned',
    `c_${'a'.repeat(31)}`,
    `c_${'a'.repeat(33)}`,
    `c_${'A'.repeat(32)}`,
    `C_${'a'.repeat(32)}`,
    `c_${'a'.repeat(32)}\n`,
    `c_${'a'.repeat(3000)}`,
  ])('refuses %j', (id) => {
    expect(isCallId(id)).toBe(false);
  });
});
