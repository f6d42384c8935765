import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../../shared/calls/call-record.ts';
import type { CallStatus } from '../../shared/calls/call-status.ts';
import { statusAfter } from '../../shared/calls/lifecycle.ts';
import { decideCustomerCalledIn, decideSenderCancel } from '../../shared/calls/stop-decisions.ts';
import { queuedRecord } from '../support/dispatch.ts';

const AT = new Date('2026-12-07T10:00:00.000Z');
const WORD = { at: AT.toISOString(), route: 'shop-cancelled' };

const inState = (status: CallStatus, extra: Partial<CallRecord> = {}): CallRecord => ({
  ...queuedRecord('c_00000000000000000000000000000001'),
  status,
  ...extra,
});

/** What the word does to a call in `status`: the transition, and the state it leaves. */
const outcome = (record: CallRecord) => {
  const decided = decideSenderCancel(record, WORD, AT);
  return decided === undefined
    ? 'nothing'
    : { name: decided.name, to: statusAfter(decided.name, record.status), set: decided.set };
};

describe('The sender’s cancel, decided on the call as stored', () => {
  it.each(['queued', 'scheduled'] as const)('cancels a %s call, and stops its chain', (status) => {
    expect(outcome(inState(status))).toEqual({
      name: 'senderCancel',
      to: 'cancelled',
      set: {
        cancelled_by_sender: WORD,
        redial_stopped: 'cancelled_by_sender: route shop-cancelled',
      },
    });
  });

  it('cancels a call queued again after a send whose reply was lost: no second send', () => {
    const record = inState('queued', { dials: [{ attempt: 1, maybe_sent: true }] });

    expect(outcome(record)).toMatchObject({ name: 'senderCancel', to: 'cancelled' });
  });

  it.each(['dialing', 'placed', 'unknown'] as const)(
    'leaves a %s call in its state, with no attempt after it',
    (status) => {
      expect(outcome(inState(status))).toMatchObject({
        name: 'senderCancelNoted',
        to: status,
        set: {
          cancelled_by_sender: WORD,
          redial_stopped: 'cancelled_by_sender: route shop-cancelled',
        },
      });
    },
  );

  it('keeps an operator’s earlier reason for stopping the chain', () => {
    const record = inState('placed', { redial_stopped: 'cancelled by an operator' });

    expect(outcome(record)).toMatchObject({ set: { redial_stopped: 'cancelled by an operator' } });
  });

  it.each(['completed', 'failed', 'cancelled', 'skipped'] as const)(
    'only notes the word on a %s call',
    (status) => {
      expect(outcome(inState(status))).toEqual({
        name: 'senderCancelRecorded',
        to: status,
        set: { cancelled_by_sender: WORD },
      });
    },
  );

  it('changes nothing for a call that has the word already (another delivery of it)', () => {
    const record = inState('cancelled', { cancelled_by_sender: WORD });

    expect(outcome(record)).toBe('nothing');
  });
});

describe('The customer’s own call, decided on the call as stored', () => {
  const decided = (record: CallRecord) => {
    const change = decideCustomerCalledIn(record, AT);
    return change === undefined ? 'nothing' : { name: change.name, set: change.set };
  };

  // Found by the model test: a call over without the word could be called again by an
  // operator after the customer had rung.
  it.each(['completed', 'failed', 'cancelled'] as const)(
    'keeps the word on a %s call, so that nothing made of it later rings',
    (status) => {
      expect(decided(inState(status))).toEqual({
        name: 'customerCalledInRecorded',
        set: { customer_called_in: { at: AT.toISOString() } },
      });
    },
  );

  it('leaves a skipped event, and a call that already knows, as they are', () => {
    expect(decided(inState('skipped'))).toBe('nothing');
    expect(decided(inState('completed', { customer_called_in: { at: AT.toISOString() } }))).toBe(
      'nothing',
    );
  });
});
