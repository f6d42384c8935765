import { describe, expect, it } from 'vitest';
import {
  BackendError,
  type BackendErrorClass,
  type BackendErrorInit,
} from '../../shared/backends/backend-error.ts';
import type { CallRecord } from '../../shared/calls/call-record.ts';
import { LIFECYCLE, statusAfter, type TransitionRule } from '../../shared/calls/lifecycle.ts';
import {
  DONE,
  decideFailure,
  type FailureContext,
  type FailureDecision,
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

/**
 * What the decision's transition does to the claimed call: the state it leaves it in, and the
 * log line (level, message, metric) `announce` writes for it, with the decision's attributes.
 */
const effectOf = (decision: FailureDecision) => {
  const rule: TransitionRule = LIFECYCLE[decision.transition];
  return { to: statusAfter(decision.transition, 'dialing'), log: rule.log };
};

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
    const decision = decideFailure(claimed(2), error, context());

    expect(decision).toEqual({
      transition: 'sendWaitsMinute',
      reason: "limit_exceeded: deferred to the minute's reset",
      set: {
        attempts: 1,
        error: { reason: 'limit_exceeded', message: 'refused', code: -32029 },
        due_at: iso(17_000),
        sweep_at: iso(17_000 + GRACE_MS),
      },
      message: { kind: 'later', at: new Date(NOW.getTime() + 17_000) },
      attributes: {},
    });
    expect(effectOf(decision).to).toBe('queued');
    expect(effectOf(decision).log).toBeUndefined();
  });

  it('waits out a minute when the limit names no reset', () => {
    const decision = decideFailure(claimed(1), failure('limit'), context());

    expect(decision).toMatchObject({
      transition: 'sendWaitsMinute',
      set: { attempts: 0, due_at: iso(60_000), sweep_at: iso(60_000 + GRACE_MS) },
      message: { kind: 'later', at: new Date(NOW.getTime() + 60_000) },
    });
    expect(effectOf(decision).to).toBe('queued');
    expect(effectOf(decision).log).toBeUndefined();
    expect(decision.attributes).toEqual({});
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
    const decision = decideFailure(claimed(1), error, context());

    expect(decision).toEqual({
      transition: 'sendWaitsDay',
      reason: 'limit_exceeded: day points spent',
      set: {
        attempts: 0,
        error: { reason: 'limit_exceeded', message: 'refused' },
        due_at: iso(3_600_000),
        sweep_at: iso(3_600_000),
      },
      message: DONE,
      attributes: {},
    });
    expect(effectOf(decision).to).toBe('scheduled');
    expect(effectOf(decision).log).toBeUndefined();
  });

  it('retries a refused token after the backoff while attempts remain', () => {
    const decision = decideFailure(claimed(2), failure('auth'), context());

    // Full jitter: half (random 0.5) of base · 2^(attempt − 1) = 2 s.
    expect(decision).toEqual({
      transition: 'sendRetrying',
      reason: 'auth: will retry',
      set: {
        error: { reason: 'auth', message: 'refused' },
        due_at: iso(2_000),
        sweep_at: iso(2_000 + GRACE_MS),
      },
      message: { kind: 'later', at: new Date(NOW.getTime() + 2_000) },
      attributes: { reason: 'auth', error_message: 'refused' },
    });
    expect(effectOf(decision)).toEqual({
      to: 'queued',
      log: { level: 'warn', message: 'call will be retried' },
    });
  });

  it('fails a refused token at max_attempts', () => {
    const decision = decideFailure(claimed(3), failure('auth'), context());

    expect(decision).toEqual({
      transition: 'sendGaveUp',
      reason: 'auth after 3 attempts',
      set: { error: { reason: 'auth', message: 'refused' } },
      message: DONE,
      attributes: { reason: 'auth', error_message: 'refused' },
    });
    expect(effectOf(decision)).toEqual({
      to: 'failed',
      log: { level: 'warn', message: 'call failed after retries' },
    });
  });

  it('fails a configuration error at once, logged as an error with its classification', () => {
    const error = failure('config', {
      code: -32008,
      mnemonic: 'ip_not_whitelisted',
      message: 'IP 10.0.0.1 is not whitelisted',
    });
    const decision = decideFailure(claimed(1), error, context());

    expect(decision).toEqual({
      transition: 'sendMisconfigured',
      reason: 'ip_not_whitelisted',
      set: {
        error: {
          reason: 'ip_not_whitelisted',
          message: 'IP 10.0.0.1 is not whitelisted',
          code: -32008,
        },
      },
      message: DONE,
      attributes: {
        reason: 'ip_not_whitelisted',
        classification: 'config',
        error_message: 'IP 10.0.0.1 is not whitelisted',
      },
    });
    expect(effectOf(decision)).toEqual({
      to: 'failed',
      log: { level: 'error', message: 'call failed' },
    });
  });

  it('fails a rejected request at once, as a warning, the contact masked in its message', () => {
    const error = failure('rejected', {
      mnemonic: 'contact_in_blacklist',
      message: 'contact 79260000000 is in the blacklist',
    });
    const decision = decideFailure(claimed(1), error, context());

    expect(decision).toEqual({
      transition: 'sendRefused',
      reason: 'contact_in_blacklist',
      set: {
        error: {
          reason: 'contact_in_blacklist',
          message: 'contact *******0000 is in the blacklist',
        },
      },
      message: DONE,
      attributes: {
        reason: 'contact_in_blacklist',
        classification: 'rejected',
        error_message: 'contact *******0000 is in the blacklist',
      },
    });
    expect(effectOf(decision)).toEqual({
      to: 'failed',
      log: { level: 'warn', message: 'call failed' },
    });
  });

  const unknownDecision = (reason: string) => ({
    transition: 'sendUnknown',
    reason,
    set: {
      error: { reason, message: 'refused' },
      sweep_at: iso(RECONCILE_MS),
      reconciliations: 0,
    },
    message: DONE,
    attributes: { reason, error_message: 'refused' },
  });
  const unknownEffect = {
    to: 'unknown',
    log: { level: 'error', message: 'call outcome unknown', metric: 'CallUnknown' },
  };

  it('makes an ambiguous outcome unknown on a backend without an idempotence key, attempts left or not', () => {
    const error = failure('ambiguous', { mnemonic: 'internal_error' });
    const attemptsLeft = decideFailure(claimed(1), error, context());
    const noneLeft = decideFailure(claimed(3), error, context());

    expect(attemptsLeft).toEqual(unknownDecision('internal_error'));
    expect(effectOf(attemptsLeft)).toEqual(unknownEffect);
    expect(noneLeft).toEqual(unknownDecision('internal_error'));
    expect(effectOf(noneLeft)).toEqual(unknownEffect);
  });

  it('sends an ambiguous outcome again on an idempotent backend while attempts remain', () => {
    const decision = decideFailure(claimed(1), failure('ambiguous'), context({ idempotent: true }));

    expect(decision).toMatchObject({
      transition: 'sendRetrying',
      reason: 'ambiguous: will retry',
      set: { due_at: iso(1_000), sweep_at: iso(1_000 + GRACE_MS) },
      message: { kind: 'later', at: new Date(NOW.getTime() + 1_000) },
    });
    expect(effectOf(decision)).toEqual({
      to: 'queued',
      log: { level: 'warn', message: 'call will be retried' },
    });
  });

  it('makes an ambiguous outcome unknown on an idempotent backend at max_attempts', () => {
    const decision = decideFailure(claimed(3), failure('ambiguous'), context({ idempotent: true }));

    expect(decision).toEqual(unknownDecision('ambiguous'));
    expect(effectOf(decision)).toEqual(unknownEffect);
  });

  it('retries an unreachable provider after a backoff that grows with the attempts', () => {
    const first = decideFailure(claimed(1), failure('unreachable'), context());
    const second = decideFailure(claimed(2), failure('unreachable'), context());

    expect(first).toMatchObject({
      transition: 'sendRetrying',
      reason: 'unreachable: will retry',
      set: {
        error: { reason: 'unreachable', message: 'refused' },
        due_at: iso(1_000),
        sweep_at: iso(1_000 + GRACE_MS),
      },
      message: { kind: 'later', at: new Date(NOW.getTime() + 1_000) },
    });
    expect(effectOf(first)).toEqual({
      to: 'queued',
      log: { level: 'warn', message: 'call will be retried' },
    });
    expect(second.message).toEqual({ kind: 'later', at: new Date(NOW.getTime() + 2_000) });
  });

  it('fails an unreachable provider at max_attempts', () => {
    const decision = decideFailure(claimed(3, 3), failure('unreachable'), context());

    expect(decision).toMatchObject({
      transition: 'sendGaveUp',
      reason: 'unreachable after 3 attempts',
      set: { error: { reason: 'unreachable', message: 'refused' } },
      message: DONE,
    });
    expect(effectOf(decision)).toEqual({
      to: 'failed',
      log: { level: 'warn', message: 'call failed after retries' },
    });
  });
});
