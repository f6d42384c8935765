import { describe, expect, it } from 'vitest';
import { indexWrites } from '../../bench/index-writes.ts';

// The cases AWS documents for global secondary index writes, on callhook's two index shapes.
const bySweep = { partitionKey: 'status', sortKey: 'sweep_at' };
const bySession = { partitionKey: 'session_key' };

describe('Function: indexWrites (how the cost bench prices index writes)', () => {
  it('charges one write for an item that enters an index', () => {
    expect(indexWrites([bySweep], undefined, { status: 'queued', sweep_at: 't1' })).toBe(1);
    expect(indexWrites([bySession], { status: 'dialing' }, { session_key: 'demo#1' })).toBe(1);
  });

  it('charges two writes when an index key changes', () => {
    const before = { status: 'queued', sweep_at: 't1' };
    expect(indexWrites([bySweep], before, { status: 'dialing', sweep_at: 't1' })).toBe(2);
    expect(indexWrites([bySweep], before, { status: 'queued', sweep_at: 't2' })).toBe(2);
  });

  it('charges one write for an item that leaves an index', () => {
    expect(
      indexWrites([bySweep], { status: 'dialing', sweep_at: 't1' }, { status: 'placed' }),
    ).toBe(1);
  });

  it('charges nothing when the index keys stay as they were or the item is in no index', () => {
    const record = { status: 'placed', session_key: 'demo#1', history: ['a'] };
    expect(indexWrites([bySweep, bySession], record, { ...record, history: ['a', 'b'] })).toBe(0);
    expect(indexWrites([bySweep], { status: 'placed' }, { status: 'completed' })).toBe(0);
  });

  it('adds up the indexes a write touches', () => {
    const before = { status: 'dialing', sweep_at: 't1' };
    const after = { status: 'placed', session_key: 'demo#7' };
    expect(indexWrites([bySweep, bySession], before, after)).toBe(2);
  });
});
