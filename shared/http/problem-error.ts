/**
 * Every problem callhook answers with, by its stable machine `code` (senders and operators rely
 * on these; the docs' error table is held to this catalogue by a test). A code's status and
 * title live here once; what went wrong this time is the error's `detail`.
 */
export const PROBLEMS = {
  malformed_body: { status: 400, title: 'Malformed body' },
  invalid_idempotency_key: { status: 400, title: 'Invalid idempotency key' },
  invalid_filter: { status: 400, title: 'Invalid filter' },
  invalid_cursor: { status: 400, title: 'Invalid cursor' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  invalid_signature: { status: 401, title: 'Invalid signature' },
  origin_not_allowed: { status: 403, title: 'Origin not allowed' },
  captcha_failed: { status: 403, title: 'CAPTCHA not passed' },
  unknown_route: { status: 404, title: 'Unknown route' },
  unknown_account: { status: 404, title: 'Unknown account' },
  call_not_found: { status: 404, title: 'Call not found' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  idempotency_conflict: { status: 409, title: 'Idempotency conflict' },
  duplicate_contact: { status: 409, title: 'Duplicate contact' },
  not_cancellable: { status: 409, title: 'Call cannot be cancelled' },
  not_retryable: { status: 409, title: 'Call cannot be retried' },
  not_abandonable: { status: 409, title: 'Call cannot be abandoned' },
  not_callable_again: { status: 409, title: 'Call cannot be made again' },
  cancelled_by_sender: { status: 409, title: 'Cancelled by the sender' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  invalid_phone: { status: 422, title: 'Invalid phone number' },
  invalid_payload: { status: 422, title: 'Invalid payload' },
  country_not_allowed: { status: 422, title: 'Country not allowed' },
  number_type_not_allowed: { status: 422, title: 'Number type not allowed' },
  own_number: { status: 422, title: 'Own number' },
  message_too_long: { status: 422, title: 'Message too long' },
  test_event: { status: 422, title: 'Test event' },
  consent_required: { status: 422, title: 'Consent required' },
  contact_rate_limited: { status: 429, title: 'Too many calls to this number' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal error' },
  provider_unavailable: { status: 502, title: 'Provider unavailable' },
  captcha_unavailable: { status: 503, title: 'CAPTCHA check unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

/** An error callhook answers with its problem: the catalogue's status and title, this detail. */
export class ProblemError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly title: string;
  /** Members added to the answer (`call_id`, …); they never replace the standard ones. */
  readonly extensions: Readonly<Record<string, unknown>>;
  /** HTTP headers the answer carries (`Retry-After`), lowercased. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ProblemCode,
    detail: string,
    // `cause` belongs in `options`: as an extension it would be answered, stack trace and all.
    extensions: Record<string, unknown> & { cause?: never } = {},
    options?: ErrorOptions & { headers?: Record<string, string> },
  ) {
    super(detail, options);
    this.name = 'ProblemError';
    this.code = code;
    this.status = PROBLEMS[code].status;
    this.title = PROBLEMS[code].title;
    this.extensions = extensions;
    this.headers = options?.headers ?? {};
  }
}

/** Echoes a short, printable form of user input inside a problem detail. */
export const quoteInput = (value: string, max = 64): string =>
  JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);

/** No call has this id (one of several endpoints' answers). */
export const callNotFound = (callId: string): ProblemError =>
  new ProblemError('call_not_found', `No call with id ${quoteInput(callId)}.`);

/** An operator's action does not apply to the call in its current state. */
export const notApplicable = (
  code: 'not_cancellable' | 'not_retryable' | 'not_abandonable' | 'not_callable_again',
  call: { call_id: string; status: string },
  why: string,
  extensions: Record<string, unknown> = {},
): ProblemError =>
  new ProblemError(code, `Call ${call.call_id} is ${call.status}: ${why}.`, {
    call_id: call.call_id,
    call_status: call.status,
    ...extensions,
  });
