import { describe, expect, it } from 'vitest';
import {
  BackendError,
  type BackendErrorClass,
  type BackendErrorInit,
} from '../../shared/backends/backend-error.ts';
import type { CallRequest } from '../../shared/backends/config-registry.ts';
import { judgeLook } from '../../shared/dispatch/reconcile.ts';
import { queuedRecord } from '../support/dispatch.ts';

const NOW = new Date('2026-03-02T10:00:00.000Z');
const TIMING = { reconcileAfterMs: 10_000, maxReconciliations: 3 };
const later = (ms: number) => new Date(NOW.getTime() + ms);

const failure = (classification: BackendErrorClass, extra: Partial<BackendErrorInit> = {}) =>
  new BackendError({ classification, message: 'refused', ...extra });

describe('judgeLook: which looks for an unknown call count', () => {
  it('waits for the reset the budget names when it has no points, and counts nothing', () => {
    const verdict = judgeLook(
      { kind: 'no_points', until: later(42_000) },
      { reconciliations: 2 },
      NOW,
      TIMING,
    );

    expect(verdict).toMatchObject({ kind: 'wait', at: later(42_000) });
  });

  it('waits for the window a -32029 refusal names, by its reported reset', () => {
    const minute = failure('limit', {
      params: { limit_type: 'minute' },
      limits: { observedAt: NOW, minuteResetAt: later(17_000), dayResetAt: later(3_600_000) },
    });
    const day = failure('limit', {
      params: { limit_type: 'day' },
      limits: { observedAt: NOW, minuteResetAt: later(17_000), dayResetAt: later(3_600_000) },
    });

    expect(
      judgeLook({ kind: 'failed', error: minute }, { reconciliations: 2 }, NOW, TIMING),
    ).toMatchObject({
      kind: 'wait',
      at: later(17_000),
      why: expect.stringContaining('minute reset'),
    });
    expect(
      judgeLook({ kind: 'failed', error: day }, { reconciliations: 2 }, NOW, TIMING),
    ).toMatchObject({
      kind: 'wait',
      at: later(3_600_000),
      why: expect.stringContaining('day reset'),
    });
  });

  it('waits a minute for a limit refusal that reports no reset', () => {
    const verdict = judgeLook({ kind: 'failed', error: failure('limit') }, {}, NOW, TIMING);

    expect(verdict).toMatchObject({ kind: 'wait', at: later(60_000) });
  });

  it.each(['unreachable', 'ambiguous'] as const)(
    'does not count a lookup that got no answer (%s), and tries again after the usual gap',
    (classification) => {
      const verdict = judgeLook(
        { kind: 'failed', error: failure(classification) },
        { reconciliations: 2 },
        NOW,
        TIMING,
      );

      expect(verdict).toMatchObject({
        kind: 'wait',
        at: later(10_000),
        why: expect.stringContaining('no answer'),
      });
    },
  );

  it('counts a look that found the call absent, and looks again while looks remain', () => {
    const verdict = judgeLook({ kind: 'absent' }, { reconciliations: 1 }, NOW, TIMING);

    expect(verdict).toEqual({
      kind: 'counted',
      looks: 2,
      next: later(10_000),
      why: 'not among the active calls',
    });
  });

  it('counts the first look of a record that has none yet', () => {
    expect(judgeLook({ kind: 'absent' }, {}, NOW, TIMING)).toMatchObject({
      kind: 'counted',
      looks: 1,
    });
  });

  it('gives up after the last counted look', () => {
    const verdict = judgeLook({ kind: 'absent' }, { reconciliations: 2 }, NOW, TIMING);

    expect(verdict).toMatchObject({ kind: 'counted', looks: 3, next: undefined });
  });

  it.each(['auth', 'config', 'rejected'] as const)(
    'counts a refusal (%s) that waiting cannot change, so an operator hears of it',
    (classification) => {
      const verdict = judgeLook(
        { kind: 'failed', error: failure(classification) },
        { reconciliations: 2 },
        NOW,
        TIMING,
      );

      expect(verdict).toMatchObject({
        kind: 'counted',
        looks: 3,
        next: undefined,
        why: 'lookup failed: refused',
      });
    },
  );

  it('counts a failure before any request, such as an account gone from the config', () => {
    const verdict = judgeLook(
      { kind: 'failed', error: new Error('account "gone" is not configured') },
      {},
      NOW,
      TIMING,
    );

    expect(verdict).toMatchObject({ kind: 'counted', looks: 1 });
  });

  it('masks the contact in the reason it records, and nothing else', () => {
    const verdict = judgeLook(
      {
        kind: 'failed',
        error: failure('rejected', {
          message: 'contact 79260000000 refused, session 17966162163860',
        }),
      },
      { request: queuedRecord('c_masked').request as CallRequest },
      NOW,
      TIMING,
    );

    expect(verdict).toMatchObject({
      why: 'lookup failed: contact *******0000 refused, session 17966162163860',
    });
  });
});
