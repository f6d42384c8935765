import { describe, expect, it } from 'vitest';
import { allDials, factsOf, supersede } from '../../shared/calls/attempts.ts';
import { appendHistory, HISTORY_LIMIT, type HistoryEntry } from '../../shared/calls/call-record.ts';
import {
  appliesTo,
  change,
  LIFECYCLE,
  statusAfter,
  type TransitionName,
  writeOf,
} from '../../shared/calls/lifecycle.ts';
import { queuedRecord } from '../support/dispatch.ts';

const AT = new Date('2026-12-07T10:00:00.000Z');
const names = Object.keys(LIFECYCLE) as TransitionName[];

describe('The lifecycle table', () => {
  it('ends every transition in a state, its own or the one it names', () => {
    expect(statusAfter('claim', 'queued')).toBe('dialing');
    expect(statusAfter('lookDeferred', 'unknown')).toBe('unknown');
    expect(statusAfter('attemptNoted', 'cancelled')).toBe('cancelled');
    for (const name of names) {
      for (const from of LIFECYCLE[name].from) expect(appliesTo(name, from)).toBe(true);
    }
  });

  it('never lets a redial or a claim start from a call that is over', () => {
    for (const name of ['claim', 'redialScheduled', 'release', 'resend', 'retry'] as const) {
      expect(appliesTo(name, 'cancelled')).toBe(false);
      expect(appliesTo(name, 'completed')).toBe(false);
    }
  });

  it('writes sweep_at as each rule says: required, cleared, kept or given', () => {
    expect(() => writeOf(change('claim', AT))).toThrow(/claim must name a sweep time/);
    expect(writeOf(change('cancelWaiting', AT)).remove).toContain('sweep_at');
    expect(() => writeOf(change('redialsStopped', AT, { set: { sweep_at: 'x' } }))).toThrow(
      /does not set a sweep time/,
    );
    expect(writeOf(change('redialsStopped', AT)).remove).not.toContain('sweep_at');
    expect(writeOf(change('ended', AT)).remove).toContain('sweep_at');
    expect(writeOf(change('ended', AT, { set: { sweep_at: 'x' } }))).toMatchObject({
      set: { sweep_at: 'x' },
    });
  });

  it('clears what a rule clears, unless the change sets it', () => {
    const placed = writeOf(change('place', AT, { set: { backend_id: '7' } }));
    expect(placed.remove).toEqual(
      expect.arrayContaining(['lease_owner', 'lease_expires_at', 'error']),
    );
    const retried = writeOf(change('retry', AT, { set: { sweep_at: 'x', attempt: 2 } }));
    expect(retried.remove).toEqual(
      expect.arrayContaining(['call_session_id', 'session_key', 'outcome', 'error', 'due_at']),
    );
    expect(retried.set).toEqual({ sweep_at: 'x', attempt: 2 });
  });
});

describe('Function: appendHistory', () => {
  const entry = (reason: string): HistoryEntry => ({
    status: 'placed',
    at: AT.toISOString(),
    reason,
  });

  it('does not repeat the line it ends with, so repeats push nothing out', () => {
    const history = [entry('answered')];
    expect(appendHistory(history, entry('answered'))).toBe(history);
    expect(appendHistory(history, entry('ended'))).toHaveLength(2);
  });

  it('keeps the last HISTORY_LIMIT lines', () => {
    let history: HistoryEntry[] = [];
    for (let i = 0; i < HISTORY_LIMIT + 5; i += 1) history = appendHistory(history, entry(`${i}`));
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history.at(-1)?.reason).toBe(`${HISTORY_LIMIT + 4}`);
  });
});

describe('Attempts', () => {
  it('keeps a call dialled once free of entries: its facts are the record’s own', () => {
    const record = {
      ...queuedRecord('c_once'),
      call_session_id: 7,
      outcome: { answered: true, answered_at: 'a' },
    };
    expect(record.dials).toBeUndefined();
    expect(factsOf(record, 1)).toEqual({ attempt: 1, call_session_id: 7, answered_at: 'a' });
    expect(factsOf(record, 2)).toBeUndefined();
  });

  it('moves the current attempt’s session, outcome and error into its entry when the next starts', () => {
    const record = {
      ...queuedRecord('c_twice'),
      call_session_id: 7,
      error: { reason: 'x', message: 'y' },
      outcome: {
        reported_by: 'notification' as const,
        result: 'no_answer' as const,
        ended_at: 'e',
      },
    };
    const dials = supersede(record, 2, 'retry');
    expect(dials).toEqual([
      {
        attempt: 1,
        call_session_id: 7,
        ended_at: 'e',
        notified_result: 'no_answer',
        error: { reason: 'x', message: 'y' },
      },
      { attempt: 2, cause: 'retry' },
    ]);
    // On attempt 2, with nothing of its own yet: the first keeps what it had.
    const next = { ...queuedRecord('c_twice'), attempt: 2, dials };
    expect(allDials(next).map((dial) => dial.attempt)).toEqual([1, 2]);
    expect(factsOf(next, 1)?.call_session_id).toBe(7);
    expect(factsOf(next, 2)?.call_session_id).toBeUndefined();
  });
});
