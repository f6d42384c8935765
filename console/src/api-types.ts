/** What the API answers, as the console reads it (docs/http-contract.md). */

export interface CallError {
  reason: string;
  message: string;
  code?: number;
}

export interface CallView {
  call_id: string;
  route: string;
  status: string;
  method: string | null;
  contact: string | null;
  call_session_id: number | null;
  attempts: number;
  due_at: string | null;
  outcome: { answered?: boolean; duration_s?: number; ended_at?: string } | null;
  created_at: string;
  updated_at: string;
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
