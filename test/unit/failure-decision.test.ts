import { describe, expect, it } from 'vitest';
import {
  BackendError,
  type BackendErrorClass,
  type BackendErrorInit,
} from '../../shared/backends/backend-error.ts';
import type { CallRecord } from '../../shared/calls/call-record.ts';
import {
  DONE,
  decideFailure,
  type FailureContext,
} from '../../shared/dispatch/failure-decision.ts';
import { queuedRecord } from '../support/dispatch.ts';

const NOW = new Date('2026-03-02T10:00:00.000Z');
const GRACE_MS = 15 * 60_000;
const RECONCILE_MS = 10_000;
const iso = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

const context = (overrides: Partial<FailureContext> = {}): FailureContext => ({
  timing: { lostMessageGraceMs: GRACE_MS, reconcileAfterMs: RECONCILE_MS },
  backoff: { baseMs: 2_000, maxMs: 300_000 },
  now: NOW,
  idempotent: false,
  random: () => 0.5,
  ...overrides,
});

/** A call as its claim left it: `dialing`, the claim counted in `attempts`. */
const claimed = (attempts: number, maxAttempts = 3): CallRecord => ({
  ...queuedRecord('c_decide', maxAttempts),
  status: 'dialing',
  attempts,
  lease_owner: 'me',
  lease_expires_at: iso(60_000),
  sweep_at: iso(60_000),
  history: [{ status: 'dialing', at: NOW.toISOString() }],
  version: 2,
  created_at: NOW.toISOString(),
  updated_at: NOW.toISOString(),
  expires_at: 0,
});

const failure = (classification: BackendErrorClass, extra: Partial<BackendErrorInit> = {}) =>
  new BackendError({ classification, message: 'refused', ...extra });

describe('decideFailure: what becomes of a claimed call after a failed request', () => {
  it('defers a minute limit to its reset, queued, without counting the attempt', () => {
    const error = failure('limit', {
      code: -32029,
      mnemonic: 'limit_exceeded',
      params: { limit_type: 'minute' },
      limits: { observedAt: NOW, minuteResetAt: new Date(NOW.getTime() + 17_000) },
    });

    expect(decideFailure(claimed(2), error, context())).toEqual({
      to: 'queued',
      reason: "limit_exceeded: deferred to the minute's reset",
      set: {
        attempts: 1,
        error: { reason: 'limit_exceeded', message: 'refused', code: -32029 },
        due_at: iso(17_000),
        sweep_at: iso(17_000 + GRACE_MS),
      },
      message: { kind: 'later', at: new Date(NOW.getTime() + 17_000) },
    });
  });

  it('waits out a minute when the limit names no reset', () => {
    const decision = decideFailure(claimed(1), failure('limit'), context());

    expect(decision).toMatchObject({
      to: 'queued',
      set: { attempts: 0, due_at: iso(60_000), sweep_at: iso(60_000 + GRACE_MS) },
      message: { kind: 'later', at: new Date(NOW.getTime() + 60_000) },
    });
    expect(decision.log).toBeUndefined();
  });

  it('schedules a call whose day points are spent until the day resets, and settles the message', () => {
    const error = failure('limit', {
      mnemonic: 'limit_exceeded',
      params: { limit_type: 'day' },
      limits: {
        observedAt: NOW,
        minuteResetAt: new Date(NOW.getTime() + 17_000),
        dayResetAt: new Date(NOW.getTime() + 3_600_000),
      },
    });

    expect(decideFailure(claimed(1), error, context())).toEqual({
      to: 'scheduled',
      reason: 'limit_exceeded: day points spent',
      set: {
        attempts: 0,
        error: { reason: 'limit_exceeded', message: 'refused' },
        due_at: iso(3_600_000),
        sweep_at: iso(3_600_000),
      },
      message: DONE,
    });
  });

  it('retries a refused token after the backoff while attempts remain', () => {
    const decision = decideFailure(claimed(2), failure('auth'), context());

    // Full jitter: half (random 0.5) of base · 2^(attempt − 1) = 2 s.
    expect(decision).toEqual({
      to: 'queued',
      reason: 'auth: will retry',
      set: {
        error: { reason: 'auth', message: 'refused' },
        due_at: iso(2_000),
        sweep_at: iso(2_000 + GRACE_MS),
      },
      message: { kind: 'later', at: new Date(NOW.getTime() + 2_000) },
      log: {
        level: 'warn',
        message: 'call will be retried',
        attributes: { call_id: 'c_decide', reason: 'auth', error_message: 'refused' },
      },
    });
  });

  it('fails a refused token at max_attempts', () => {
    expect(decideFailure(claimed(3), failure('auth'), context())).toEqual({
      to: 'failed',
      reason: 'auth after 3 attempts',
      set: { error: { reason: 'auth', message: 'refused' } },
      message: DONE,
      log: {
        level: 'warn',
        message: 'call failed after retries',
        attributes: { call_id: 'c_decide', reason: 'auth', error_message: 'refused' },
      },
    });
  });

  it('fails a configuration error at once, logged as an error with its classification', () => {
    const error = failure('config', {
      code: -32008,
      mnemonic: 'ip_not_whitelisted',
      message: 'IP 10.0.0.1 is not whitelisted',
    });

    expect(decideFailure(claimed(1), error, context())).toEqual({
      to: 'failed',
      reason: 'ip_not_whitelisted',
      set: {
        error: {
          reason: 'ip_not_whitelisted',
          message: 'IP 10.0.0.1 is not whitelisted',
          code: -32008,
        },
      },
      message: DONE,
      log: {
        level: 'error',
        message: 'call failed',
        attributes: {
          call_id: 'c_decide',
          reason: 'ip_not_whitelisted',
          classification: 'config',
          error_message: 'IP 10.0.0.1 is not whitelisted',
        },
      },
    });
  });

  it('fails a rejected request at once, as a warning, the contact masked in its message', () => {
    const error = failure('rejected', {
      mnemonic: 'contact_in_blacklist',
      message: 'contact 79261234567 is in the blacklist',
    });

    expect(decideFailure(claimed(1), error, context())).toEqual({
      to: 'failed',
      reason: 'contact_in_blacklist',
      set: {
        error: {
          reason: 'contact_in_blacklist',
          message: 'contact *******4567 is in the blacklist',
        },
      },
      message: DONE,
      log: {
        level: 'warn',
        message: 'call failed',
        attributes: {
          call_id: 'c_decide',
          reason: 'contact_in_blacklist',
          classification: 'rejected',
          error_message: 'contact *******4567 is in the blacklist',
        },
      },
    });
  });

  const unknownDecision = (reason: string) => ({
    to: 'unknown',
    reason,
    set: {
      error: { reason, message: 'refused' },
      sweep_at: iso(RECONCILE_MS),
      reconciliations: 0,
    },
    message: DONE,
    log: {
      level: 'error',
      message: 'call outcome unknown',
      attributes: { call_id: 'c_decide', reason, error_message: 'refused', metric: 'CallUnknown' },
    },
  });

  it('makes an ambiguous outcome unknown on a backend without an idempotence key, attempts left or not', () => {
    const error = failure('ambiguous', { mnemonic: 'internal_error' });

    expect(decideFailure(claimed(1), error, context())).toEqual(unknownDecision('internal_error'));
    expect(decideFailure(claimed(3), error, context())).toEqual(unknownDecision('internal_error'));
  });

  it('sends an ambiguous outcome again on an idempotent backend while attempts remain', () => {
    const decision = decideFailure(claimed(1), failure('ambiguous'), context({ idempotent: true }));

    expect(decision).toMatchObject({
      to: 'queued',
      reason: 'ambiguous: will retry',
      set: { due_at: iso(1_000), sweep_at: iso(1_000 + GRACE_MS) },
      message: { kind: 'later', at: new Date(NOW.getTime() + 1_000) },
      log: { level: 'warn', message: 'call will be retried' },
    });
  });

  it('makes an ambiguous outcome unknown on an idempotent backend at max_attempts', () => {
    expect(decideFailure(claimed(3), failure('ambiguous'), context({ idempotent: true }))).toEqual(
      unknownDecision('ambiguous'),
    );
  });

  it('retries an unreachable provider after a backoff that grows with the attempts', () => {
    const first = decideFailure(claimed(1), failure('unreachable'), context());
    const second = decideFailure(claimed(2), failure('unreachable'), context());

    expect(first).toMatchObject({
      to: 'queued',
      reason: 'unreachable: will retry',
      set: {
        error: { reason: 'unreachable', message: 'refused' },
        due_at: iso(1_000),
        sweep_at: iso(1_000 + GRACE_MS),
      },
      message: { kind: 'later', at: new Date(NOW.getTime() + 1_000) },
      log: { level: 'warn', message: 'call will be retried' },
    });
    expect(second.message).toEqual({ kind: 'later', at: new Date(NOW.getTime() + 2_000) });
  });

  it('fails an unreachable provider at max_attempts', () => {
    expect(decideFailure(claimed(3, 3), failure('unreachable'), context())).toMatchObject({
      to: 'failed',
      reason: 'unreachable after 3 attempts',
      set: { error: { reason: 'unreachable', message: 'refused' } },
      message: DONE,
      log: { level: 'warn', message: 'call failed after retries' },
    });
  });
});
