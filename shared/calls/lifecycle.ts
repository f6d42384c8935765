import type { CallRecord, CallStatus } from './call-record.ts';

/**
 * The call's lifecycle in one table: every change any part of callhook makes to a call is one of
 * these named transitions. Each says the states it applies in, the state it ends in, the fields
 * it always clears, what it does with the sweeper's `sweep_at`, whether it writes a history line,
 * and the log line (and the metric counted from it) that announces it. `infra/aws/constructs/
 * observability.ts` builds its metric filters from these lines, so a rename here moves the
 * filter with it.
 *
 * A change is decided on the record it writes: `CallStore.update` hands the decision the record
 * as stored, writes what it returns conditionally on that record's version, and on a conflict
 * reads the record again and asks again. A `Change` can only be made here
 * (`change`), from a name in this table, so no change is written that the table does not know.
 */

/** The fields a change may set or clear besides `status`, `updated_at`, `history`, `version`. */
export type PatchField =
  | 'attempts'
  | 'max_attempts'
  | 'attempt'
  | 'redials'
  | 'retries'
  | 'dials'
  | 'call_session_id'
  | 'backend_id'
  | 'session_key'
  | 'error'
  | 'lease_owner'
  | 'lease_expires_at'
  | 'due_at'
  | 'sweep_at'
  | 'reconciliations'
  | 'outcome'
  | 'redial_stopped'
  | 'cancelled_by_sender'
  | 'customer_called_in'
  | 'escalation';

export type Patch = Partial<Pick<CallRecord, PatchField>>;

/** The metrics counted from log lines (`observability.ts`). */
export const METRICS = {
  completed: 'CallCompleted',
  unknown: 'CallUnknown',
  redialled: 'CallRedialled',
  unknownUnresolved: 'CallUnknownUnresolved',
  senderCancelled: 'CallCancelledBySender',
  customerCalledIn: 'CallStoppedCustomerCalledIn',
  escalated: 'CallEscalated',
} as const;
export type MetricName = (typeof METRICS)[keyof typeof METRICS];

export interface TransitionLog {
  level: 'info' | 'warn' | 'error';
  message: string;
  metric?: MetricName;
}

/**
 * What a transition does with `sweep_at`: `set` (the change must name one), `clear`, `keep`,
 * or `given` (set when the change names one, cleared when it does not).
 */
export type SweepPolicy = 'set' | 'clear' | 'keep' | 'given';

export interface TransitionRule {
  from: readonly CallStatus[];
  /** The state it ends in; `same` keeps whichever of `from` the call is in. */
  to: CallStatus | 'same';
  /** Fields it always removes (unless the change sets them). */
  clears: readonly PatchField[];
  sweep: SweepPolicy;
  /** `quiet`: bookkeeping within a state (a next look), which writes no history line. */
  history: 'line' | 'quiet';
  log?: TransitionLog;
}

const LEASE = ['lease_owner', 'lease_expires_at'] as const satisfies readonly PatchField[];
/** What the current attempt's provider session was: a new attempt starts without. */
const SESSION = [
  'call_session_id',
  'session_key',
  'backend_id',
  'outcome',
  'error',
] as const satisfies readonly PatchField[];
/** What a call that was `unknown` carried while nobody knew whether it rang. */
const UNCERTAINTY = ['reconciliations', 'error'] as const satisfies readonly PatchField[];
const ALL_LIVE = ['queued', 'scheduled', 'dialing', 'placed', 'unknown'] as const;
const EVERY = [...ALL_LIVE, 'completed', 'failed', 'cancelled', 'skipped'] as const;

/**
 * What a notification about the current attempt does whatever it says: it applies while the
 * attempt may be live, and ends the claim and the doubt about whether it rang.
 */
const NOTIFIED = {
  from: ['dialing', 'placed', 'unknown'],
  clears: [...LEASE, ...UNCERTAINTY],
  history: 'line',
} as const;

/**
 * A word that no attempt may follow (the sender's cancel, the customer's own call): a waiting
 * call ends `cancelled`, a ringing one stays as it is with its redials stopped.
 */
const STOPS_WAITING = {
  from: ['queued', 'scheduled'],
  to: 'cancelled',
  clears: ['due_at'],
  sweep: 'clear',
  history: 'line',
} as const;
const STOPS_RINGING = {
  from: ['dialing', 'placed', 'unknown'],
  to: 'same',
  clears: [],
  sweep: 'keep',
  history: 'line',
} as const;

const COMPLETED: TransitionLog = {
  level: 'info',
  message: 'call completed',
  metric: METRICS.completed,
};
const UNKNOWN: TransitionLog = {
  level: 'error',
  message: 'call outcome unknown',
  metric: METRICS.unknown,
};

export const LIFECYCLE = {
  // ingest: another event for the same person, skipped as `duplicate_contact`, names this call
  // (shared/ingest/guardrails/contact-window.ts); the line is its link, nothing else changes.
  contactMerged: {
    from: [...ALL_LIVE, 'completed', 'failed', 'cancelled'],
    to: 'same',
    clears: [],
    sweep: 'keep',
    history: 'line',
  },
  // dispatch
  claim: { from: ['queued'], to: 'dialing', clears: ['due_at'], sweep: 'set', history: 'line' },
  place: {
    from: ['dialing'],
    to: 'placed',
    clears: [...LEASE, 'error'],
    sweep: 'given',
    history: 'line',
    log: { level: 'info', message: 'call placed' },
  },
  sendUnknown: {
    from: ['dialing'],
    to: 'unknown',
    clears: LEASE,
    sweep: 'set',
    history: 'line',
    log: UNKNOWN,
  },
  sendRefused: {
    from: ['dialing'],
    to: 'failed',
    clears: LEASE,
    sweep: 'clear',
    history: 'line',
    log: { level: 'warn', message: 'call failed' },
  },
  sendMisconfigured: {
    from: ['dialing'],
    to: 'failed',
    clears: LEASE,
    sweep: 'clear',
    history: 'line',
    log: { level: 'error', message: 'call failed' },
  },
  sendGaveUp: {
    from: ['dialing'],
    to: 'failed',
    clears: LEASE,
    sweep: 'clear',
    history: 'line',
    log: { level: 'warn', message: 'call failed after retries' },
  },
  sendRetrying: {
    from: ['dialing'],
    to: 'queued',
    clears: LEASE,
    sweep: 'set',
    history: 'line',
    log: { level: 'warn', message: 'call will be retried' },
  },
  sendWaitsMinute: {
    from: ['dialing'],
    to: 'queued',
    clears: LEASE,
    sweep: 'set',
    history: 'line',
  },
  sendWaitsDay: {
    from: ['dialing'],
    to: 'scheduled',
    clears: LEASE,
    sweep: 'set',
    history: 'line',
  },
  wait: { from: ['queued'], to: 'scheduled', clears: [], sweep: 'set', history: 'line' },
  expire: {
    from: ['queued'],
    to: 'failed',
    clears: ['due_at'],
    sweep: 'clear',
    history: 'line',
    log: { level: 'warn', message: 'call expired' },
  },
  redialExpired: {
    from: ['queued'],
    to: 'completed',
    clears: ['due_at'],
    sweep: 'clear',
    history: 'line',
    log: { level: 'info', message: 'call redial expired' },
  },
  // Only `queued` has a message in flight; a `scheduled` call's is long settled.
  deadLettered: {
    from: ['queued'],
    to: 'failed',
    clears: ['due_at'],
    sweep: 'clear',
    history: 'line',
  },
  // the sweeper's queue chores
  release: { from: ['scheduled'], to: 'queued', clears: [], sweep: 'set', history: 'line' },
  resend: { from: ['queued'], to: 'queued', clears: [], sweep: 'set', history: 'line' },
  leaseRequeued: { from: ['dialing'], to: 'queued', clears: LEASE, sweep: 'set', history: 'line' },
  leaseUnknown: {
    from: ['dialing'],
    to: 'unknown',
    clears: LEASE,
    sweep: 'set',
    history: 'line',
    log: UNKNOWN,
  },
  // reconciliation of `unknown` calls
  found: {
    from: ['unknown'],
    to: 'placed',
    clears: UNCERTAINTY,
    sweep: 'given',
    history: 'line',
    log: { level: 'info', message: 'unknown call reconciled' },
  },
  foundEnded: {
    from: ['unknown'],
    to: 'completed',
    clears: UNCERTAINTY,
    sweep: 'given',
    history: 'line',
    log: COMPLETED,
  },
  lookDeferred: {
    from: [...ALL_LIVE, 'completed'],
    to: 'same',
    clears: [],
    sweep: 'set',
    history: 'quiet',
  },
  lookCounted: { from: ['unknown'], to: 'same', clears: [], sweep: 'set', history: 'line' },
  unknownLeft: {
    from: ['unknown'],
    to: 'same',
    clears: [],
    sweep: 'clear',
    history: 'line',
    log: {
      level: 'error',
      message: 'unknown call left for an operator',
      metric: METRICS.unknownUnresolved,
    },
  },
  // provider notifications about the current attempt
  answered: { ...NOTIFIED, to: 'placed', sweep: 'given' },
  endedAwaitingReport: { ...NOTIFIED, to: 'placed', sweep: 'set' },
  ended: { ...NOTIFIED, to: 'completed', sweep: 'given', log: COMPLETED },
  /** A word about an attempt that is not the one the call is on, or about a call that is over. */
  attemptNoted: { from: EVERY, to: 'same', clears: [], sweep: 'keep', history: 'quiet' },
  // reports (the Data API, a JAICP job's report)
  reportEnded: {
    from: ['placed'],
    to: 'completed',
    clears: LEASE,
    sweep: 'given',
    history: 'line',
    log: COMPLETED,
  },
  redialScheduled: {
    from: ['placed'],
    to: 'scheduled',
    clears: [...SESSION, 'reconciliations'],
    sweep: 'set',
    history: 'line',
    log: { level: 'info', message: 'call redial scheduled', metric: METRICS.redialled },
  },
  reportConfirmed: { from: ['completed'], to: 'same', clears: [], sweep: 'given', history: 'line' },
  lookNotNeeded: {
    from: ['placed', 'completed'],
    to: 'same',
    clears: [],
    sweep: 'given',
    history: 'quiet',
  },
  /** An attempt whose end was notified, its report never found: the notification stands. */
  reportMissing: {
    from: ['placed'],
    to: 'completed',
    clears: [],
    sweep: 'given',
    history: 'line',
    log: COMPLETED,
  },
  lookGivenUp: {
    from: ['placed', 'completed'],
    to: 'same',
    clears: [],
    sweep: 'given',
    history: 'line',
    log: { level: 'warn', message: 'call outcome not reported' },
  },
  jobFailed: {
    from: ['placed'],
    to: 'failed',
    clears: [],
    sweep: 'clear',
    history: 'line',
    log: { level: 'warn', message: 'call failed' },
  },
  jobCancelled: { from: ['placed'], to: 'cancelled', clears: [], sweep: 'clear', history: 'line' },
  // the sender's word (a cancelling route: shared/ingest/sender-cancel.ts)
  senderCancel: {
    ...STOPS_WAITING,
    log: {
      level: 'info',
      message: 'call cancelled by the sender',
      metric: METRICS.senderCancelled,
    },
  },
  /** Ringing, or maybe: left alone, with no attempt after it. */
  senderCancelNoted: STOPS_RINGING,
  /** Over already: the word is on the timeline, and changes nothing. */
  senderCancelRecorded: {
    from: ['completed', 'failed', 'cancelled', 'skipped'],
    to: 'same',
    clears: [],
    sweep: 'keep',
    history: 'line',
  },
  // the customer rang the account (shared/events/customer-called-in.ts)
  customerCalledIn: {
    ...STOPS_WAITING,
    log: {
      level: 'info',
      message: 'call stopped: the customer called in',
      metric: METRICS.customerCalledIn,
    },
  },
  /** Ringing, or maybe: left alone, with no attempt after it. */
  customerCalledInNoted: STOPS_RINGING,
  /** Over, its escalation still to be made: the word is on the timeline, and none is made. */
  customerCalledInRecorded: {
    from: ['completed', 'failed', 'cancelled'],
    to: 'same',
    clears: [],
    sweep: 'keep',
    history: 'line',
  },
  // escalation (shared/dispatch/escalate.ts): the linked call on another route, made or not
  escalated: {
    from: ['completed'],
    to: 'same',
    clears: [],
    sweep: 'clear',
    history: 'line',
    log: { level: 'info', message: 'call escalated', metric: METRICS.escalated },
  },
  escalationRefused: {
    from: ['completed'],
    to: 'same',
    clears: [],
    sweep: 'clear',
    history: 'line',
    log: { level: 'warn', message: 'call not escalated' },
  },
  // operators
  cancelWaiting: {
    from: ['queued', 'scheduled'],
    to: 'cancelled',
    clears: ['due_at'],
    sweep: 'clear',
    history: 'line',
    log: { level: 'info', message: 'call cancelled' },
  },
  cancelRinging: {
    from: ['placed'],
    to: 'cancelled',
    clears: [],
    sweep: 'clear',
    history: 'line',
    log: { level: 'info', message: 'call cancelled' },
  },
  releaseAnswered: {
    from: ['placed'],
    to: 'completed',
    clears: [],
    sweep: 'given',
    history: 'line',
    log: { level: 'info', message: 'call released' },
  },
  redialsStopped: { from: ['placed'], to: 'same', clears: [], sweep: 'keep', history: 'line' },
  retry: {
    from: ['failed', 'unknown'],
    to: 'queued',
    clears: [...SESSION, 'due_at', 'reconciliations'],
    sweep: 'set',
    history: 'line',
    log: { level: 'info', message: 'call retry requested' },
  },
  /**
   * An operator's "call again" on a call that ended without reaching its customer: one new
   * attempt, with no redial after it (`redial_stopped` is set with it).
   */
  callAgain: {
    from: ['completed'],
    to: 'queued',
    clears: [...SESSION, 'due_at', 'reconciliations'],
    sweep: 'set',
    history: 'line',
    log: { level: 'info', message: 'call again requested' },
  },
} as const satisfies Record<string, TransitionRule>;

export type TransitionName = keyof typeof LIFECYCLE;

declare const made: unique symbol;

/** One named transition as a decision made it: what `CallStore.update` writes. */
export interface Change {
  readonly [made]: true;
  readonly name: TransitionName;
  readonly at: Date;
  /** The history line's reason (a quiet transition writes none). */
  readonly reason?: string;
  readonly set: Patch;
}

/** The only way to make a `Change`. */
export const change = (
  name: TransitionName,
  at: Date,
  options: { reason?: string; set?: Patch } = {},
): Change =>
  ({
    name,
    at,
    ...(options.reason !== undefined && { reason: options.reason }),
    set: options.set ?? {},
  }) as Change;

export const ruleOf = (name: TransitionName): TransitionRule => LIFECYCLE[name];

/** The state a change leaves the call in. */
export const statusAfter = (name: TransitionName, from: CallStatus): CallStatus => {
  const { to } = ruleOf(name);
  return to === 'same' ? from : to;
};

/** Whether the transition may apply to a call in `status`. */
export const appliesTo = (name: TransitionName, status: CallStatus): boolean =>
  ruleOf(name).from.includes(status);

/**
 * The fields a change writes and removes, by its rule: what it sets, what the rule clears (unless
 * set), and `sweep_at` by the rule's policy. Throws on a change its rule forbids: a programming
 * error, never a state of the world.
 */
export const writeOf = (c: Change): { set: Patch; remove: PatchField[] } => {
  const rule = ruleOf(c.name);
  const set: Patch = {};
  for (const [field, value] of Object.entries(c.set) as [PatchField, unknown][]) {
    if (value !== undefined) (set as Record<string, unknown>)[field] = value;
  }
  const remove = rule.clears.filter((field) => !(field in set));
  const hasSweep = set.sweep_at !== undefined;
  if (rule.sweep === 'set' && !hasSweep) throw new Error(`${c.name} must name a sweep time`);
  if ((rule.sweep === 'clear' || rule.sweep === 'keep') && hasSweep) {
    throw new Error(`${c.name} does not set a sweep time`);
  }
  if (rule.sweep === 'clear' || (rule.sweep === 'given' && !hasSweep)) remove.push('sweep_at');
  return { set, remove: [...new Set(remove)] };
};
