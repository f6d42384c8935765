import { describe, expect, it } from 'vitest';
import { figuresOf, nearestRank, parseFiguresRequest } from '../../shared/calls/call-figures.ts';
import type { CallRecord, CallStatus, HistoryEntry } from '../../shared/calls/call-record.ts';
import { ProblemError } from '../../shared/http/problem-error.ts';
import { queuedRecord } from '../support/dispatch.ts';

const CREATED = '2025-03-01T09:00:00.000Z';
/** `seconds` after CREATED, as an ISO time. */
const after = (seconds: number) => new Date(Date.parse(CREATED) + seconds * 1000).toISOString();
/** The same, under a name no test runner takes for a hook. */
const secondsIn = after;

/** A record of `route` now in `status`, created at CREATED, with this history after it. */
const record = (
  route: string,
  status: CallStatus,
  later: [CallStatus, number][] = [],
): CallRecord => {
  const history: HistoryEntry[] = [
    { status: status === 'skipped' ? 'skipped' : 'queued', at: CREATED },
    ...later.map(([state, seconds]) => ({ status: state, at: after(seconds) })),
  ];
  return { ...queuedRecord(`c_${route}`), route, status, created_at: CREATED, history };
};

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof ProblemError ? `${error.code} ${error.extensions.parameter}` : 'other';
  }
  return 'none';
};

describe('Function: nearestRank', () => {
  it('picks the value at rank ⌈p/100 × n⌉', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => (i + 1) * 10);

    expect(nearestRank([100, 200, 300, 400], 50)).toBe(200);
    expect(nearestRank([100, 200, 300, 400], 95)).toBe(400);
    expect(nearestRank(twenty, 50)).toBe(100);
    expect(nearestRank(twenty, 95)).toBe(190);
    expect(nearestRank([7], 50)).toBe(7);
    expect(nearestRank([7], 95)).toBe(7);
  });
});

describe('Function: figuresOf', () => {
  it('counts each route’s calls by what became of them, and times the placed ones', () => {
    const records = [
      record('shop', 'placed', [
        ['dialing', 1],
        ['placed', 2],
      ]),
      // Completed: it was placed first (at 6 s), so it counts as placed too.
      record('shop', 'completed', [
        ['dialing', 5],
        ['placed', 6],
        ['completed', 60],
      ]),
      // Placed, lost, retried and placed again: timed to its first placement (4 s).
      record('shop', 'placed', [
        ['dialing', 3],
        ['placed', 4],
        ['unknown', 30],
        ['queued', 40],
        ['placed', 41],
      ]),
      record('shop', 'failed', [
        ['dialing', 1],
        ['failed', 2],
      ]),
      record('shop', 'unknown', [
        ['dialing', 1],
        ['unknown', 11],
      ]),
      record('shop', 'queued'),
      record('shop', 'skipped'),
      record('shop', 'skipped'),
      record('form', 'cancelled', [['cancelled', 1]]),
    ];

    expect(figuresOf(records, ['form', 'shop', 'quiet'])).toEqual([
      {
        route: 'form',
        accepted: 1,
        placed: 0,
        completed: 0,
        failed: 0,
        unknown: 0,
        skipped: 0,
        accepted_to_placed_ms: null,
        speed_to_lead: null,
      },
      {
        route: 'shop',
        accepted: 6,
        placed: 3,
        completed: 1,
        failed: 1,
        unknown: 1,
        skipped: 2,
        // Delays 2 s, 4 s, 6 s: the median is the 2nd, the 95th percentile the 3rd.
        accepted_to_placed_ms: { p50: 4_000, p95: 6_000 },
        speed_to_lead: null,
      },
      {
        route: 'quiet',
        accepted: 0,
        placed: 0,
        completed: 0,
        failed: 0,
        unknown: 0,
        skipped: 0,
        accepted_to_placed_ms: null,
        speed_to_lead: null,
      },
    ]);
  });

  it('counts the answered calls of a route with a target, and how many met it', () => {
    /** A call whose second attempt was answered `seconds` after CREATED. */
    const answeredAt = (seconds: number, extra: Partial<CallRecord> = {}): CallRecord => ({
      ...record('leads', 'completed'),
      attempt: 2,
      dials: [
        { attempt: 1, ended_at: secondsIn(30) },
        { attempt: 2, answered_at: secondsIn(seconds) },
      ],
      ...extra,
    });
    const records = [
      answeredAt(240),
      // Within 5 minutes of acceptance, but the sender's event was 2 minutes earlier.
      answeredAt(240, { sender_event_at: secondsIn(-120) }),
      answeredAt(600),
      record('leads', 'placed'),
    ];

    const [leads, plain] = figuresOf(records, ['leads', 'plain'], {
      leads: { talk_within_minutes: 5 },
    });

    expect(leads?.speed_to_lead).toEqual({ target_minutes: 5, talked: 3, met: 1, share: 1 / 3 });
    expect(plain?.speed_to_lead).toBeNull();
  });

  it('lists routes the config no longer has after its own, by name', () => {
    const routes = figuresOf(
      [record('zeta', 'queued'), record('alpha', 'failed'), record('shop', 'queued')],
      ['shop'],
    ).map((figures) => figures.route);

    expect(routes).toEqual(['shop', 'alpha', 'zeta']);
  });

  it('counts a call whose placement left its short history as placed, untimed', () => {
    // Twenty changes later the history no longer holds the first `placed`.
    const churned = {
      ...record('shop', 'completed'),
      history: Array.from(
        { length: 20 },
        (_, i): HistoryEntry => ({
          status: i % 2 === 0 ? 'queued' : 'scheduled',
          at: after(i),
        }),
      ),
    };

    expect(figuresOf([churned], ['shop'])[0]).toMatchObject({
      accepted: 1,
      placed: 1,
      completed: 1,
      accepted_to_placed_ms: null,
    });
  });
});

describe('Function: parseFiguresRequest', () => {
  it('reads hours, 24 by default', () => {
    expect(parseFiguresRequest({})).toEqual({ hours: 24 });
    expect(parseFiguresRequest({ hours: '1' })).toEqual({ hours: 1 });
    expect(parseFiguresRequest({ hours: '168' })).toEqual({ hours: 168 });
  });

  it('refuses a bad window or an unknown parameter as invalid_filter, naming it', () => {
    for (const hours of ['0', '169', '-1', '1.5', '24h', '', ' 24', '0024']) {
      expect({ hours, code: codeOf(() => parseFiguresRequest({ hours })) }).toEqual({
        hours,
        code: 'invalid_filter hours',
      });
    }
    expect(codeOf(() => parseFiguresRequest({ hour: '24' }))).toBe('invalid_filter hour');
  });
});
