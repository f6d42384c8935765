/** What the API answers, as the console reads it (docs/http-contract.md). */

export interface CallError {
  reason: string;
  message: string;
  code?: number;
}

/** Why an attempt was made: the sender's event, the route's redial, an operator's retry. */
export type DialCause = 'event' | 'redial' | 'retry';

/**
 * One attempt of a call (`toDialView` in shared/calls/call-view.ts): placed with its own
 * `external_id` (the call id, then `<call id>-<attempt>`), with what the provider said of it.
 */
export interface DialView {
  attempt: number;
  external_id: string;
  cause: DialCause;
  call_session_id: number | null;
  /** Its placement went unconfirmed: never redialled by itself. */
  went_unknown: boolean;
  answered_at: string | null;
  ended_at: string | null;
  /** The report's result, else what its `ended` notification suggested. */
  result: string | null;
  finish_reason: string | null;
  talk_s: number | null;
  error: CallError | null;
}

export interface CallView {
  call_id: string;
  route: string;
  status: string;
  method: string | null;
  contact: string | null;
  /** The current attempt's provider session. */
  call_session_id: number | null;
  /** Tries at sending the current attempt (a provider out of reach is tried again). */
  attempts: number;
  /** The attempt the call is on: 1, then one more for each redial and each operator's retry. */
  attempt: number;
  /** Each attempt, oldest first (the last 8), the current one last. */
  dials: DialView[];
  due_at: string | null;
  outcome: { answered?: boolean; duration_s?: number; ended_at?: string } | null;
  created_at: string;
  updated_at: string;
  /** The current attempt's error; earlier ones stay in their attempts. */
  error: CallError | null;
}

export type TimelineEntry =
  | { type: 'status'; at: string; status: string; reason: string | null }
  | {
      type: 'provider_event';
      at: string | null;
      event: string | null;
      finish_reason: string | null;
      talk_time_duration: number | null;
    }
  | {
      /** What the provider's report said about one attempt (a redialled call has several). */
      type: 'report';
      at: string;
      attempt: number;
      call_session_id: number | null;
      result: string;
      finish_reason: string | null;
      talk_s: number;
      wait_s: number;
      ended_at: string;
    }
  | {
      type: 'callback';
      at: string;
      webhook_id: string;
      status: string | null;
      outcome: string;
      attempts: number;
      status_code: number | null;
      last_error: string | null;
      next_attempt_at: string | null;
    };

export interface CallDetail extends CallView {
  timeline: TimelineEntry[];
}

export interface CallPage {
  items: CallView[];
  next_cursor: string | null;
}

export interface RouteFigures {
  route: string;
  accepted: number;
  placed: number;
  completed: number;
  failed: number;
  unknown: number;
  skipped: number;
  accepted_to_placed_ms: { p50: number; p95: number } | null;
}

export interface Figures {
  since: string;
  until: string;
  complete: boolean;
  routes: RouteFigures[];
}

/** An RFC 9457 problem, as every refusal is answered. */
export interface Problem {
  status: number;
  title: string;
  detail: string;
  code: string;
}
