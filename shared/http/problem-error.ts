/**
 * The base of every error that callhook answers with a 4xx. Each subclass fixes its HTTP status
 * and a stable machine `code` that senders can rely on (they are listed in the README).
 */
export class ProblemError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(
    init: {
      status: number;
      code: string;
      title: string;
      detail: string;
      extensions?: Record<string, unknown>;
    },
    options?: ErrorOptions,
  ) {
    super(init.detail, options);
    this.name = 'ProblemError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.extensions = init.extensions ?? {};
  }
}

/** Echoes a short, printable form of user input inside a problem detail. */
export const quoteInput = (value: string, max = 64): string =>
  JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);

export class UnknownRouteError extends ProblemError {
  constructor(route: string) {
    super({
      status: 404,
      code: 'unknown_route',
      title: 'Unknown route',
      detail: `No route named ${quoteInput(route)} is configured.`,
    });
    this.name = 'UnknownRouteError';
  }
}

export class UnauthorizedError extends ProblemError {
  constructor(detail: string) {
    super({ status: 401, code: 'unauthorized', title: 'Unauthorized', detail });
    this.name = 'UnauthorizedError';
  }
}

export class UnsupportedMediaTypeError extends ProblemError {
  constructor(detail: string) {
    super({ status: 415, code: 'unsupported_media_type', title: 'Unsupported media type', detail });
    this.name = 'UnsupportedMediaTypeError';
  }
}

export class MalformedBodyError extends ProblemError {
  constructor(detail: string, options?: ErrorOptions) {
    super({ status: 400, code: 'malformed_body', title: 'Malformed body', detail }, options);
    this.name = 'MalformedBodyError';
  }
}

export class PayloadTooLargeError extends ProblemError {
  constructor(limitBytes: number) {
    super({
      status: 413,
      code: 'payload_too_large',
      title: 'Payload too large',
      detail: `The body is larger than ${limitBytes} bytes.`,
    });
    this.name = 'PayloadTooLargeError';
  }
}

export class InvalidPhoneError extends ProblemError {
  constructor(detail: string) {
    super({ status: 422, code: 'invalid_phone', title: 'Invalid phone number', detail });
    this.name = 'InvalidPhoneError';
  }
}

export class InvalidPayloadError extends ProblemError {
  constructor(detail: string, options?: ErrorOptions) {
    super({ status: 422, code: 'invalid_payload', title: 'Invalid payload', detail }, options);
    this.name = 'InvalidPayloadError';
  }
}

export class InvalidIdempotencyKeyError extends ProblemError {
  constructor(detail: string) {
    super({
      status: 400,
      code: 'invalid_idempotency_key',
      title: 'Invalid idempotency key',
      detail,
    });
    this.name = 'InvalidIdempotencyKeyError';
  }
}

export class IdempotencyConflictError extends ProblemError {
  constructor(callId: string) {
    super({
      status: 409,
      code: 'idempotency_conflict',
      title: 'Idempotency conflict',
      detail:
        'An event with the same idempotency key was already accepted with a different call (another phone or message).',
      extensions: { call_id: callId },
    });
    this.name = 'IdempotencyConflictError';
  }
}

export class CallNotFoundError extends ProblemError {
  constructor(callId: string) {
    super({
      status: 404,
      code: 'call_not_found',
      title: 'Call not found',
      detail: `No call with id ${quoteInput(callId)}.`,
    });
    this.name = 'CallNotFoundError';
  }
}

export class RouteNotFoundError extends ProblemError {
  constructor(method: string, path: string) {
    super({
      status: 404,
      code: 'not_found',
      title: 'Not found',
      detail: `Nothing answers ${method} ${quoteInput(path)}.`,
    });
    this.name = 'RouteNotFoundError';
  }
}

export class NotCancellableError extends ProblemError {
  constructor(callId: string, status: string, why: string) {
    super({
      status: 409,
      code: 'not_cancellable',
      title: 'Call cannot be cancelled',
      detail: `Call ${callId} is ${status}: ${why}.`,
      extensions: { call_id: callId, call_status: status },
    });
    this.name = 'NotCancellableError';
  }
}

export class NotRetryableError extends ProblemError {
  constructor(callId: string, status: string) {
    super({
      status: 409,
      code: 'not_retryable',
      title: 'Call cannot be retried',
      detail: `Call ${callId} is ${status}; only failed or unknown calls can be retried.`,
      extensions: { call_id: callId, call_status: status },
    });
    this.name = 'NotRetryableError';
  }
}

export class ProviderUnavailableError extends ProblemError {
  constructor(options?: ErrorOptions) {
    super(
      {
        status: 502,
        code: 'provider_unavailable',
        title: 'Provider unavailable',
        detail: 'The provider did not confirm the request; nothing was changed. Try again.',
      },
      options,
    );
    this.name = 'ProviderUnavailableError';
  }
}

export class UnknownAccountError extends ProblemError {
  constructor(account: string) {
    super({
      status: 404,
      code: 'unknown_account',
      title: 'Unknown account',
      detail: `No account named ${quoteInput(account)} accepts provider events.`,
    });
    this.name = 'UnknownAccountError';
  }
}

export class InvalidSignatureError extends ProblemError {
  constructor(detail: string) {
    super({ status: 401, code: 'invalid_signature', title: 'Invalid signature', detail });
    this.name = 'InvalidSignatureError';
  }
}

export class CountryNotAllowedError extends ProblemError {
  /** `country`: an ISO code (`DE`), or a country code (`+49`) whose plan callhook does not carry. */
  constructor(country: string) {
    super({
      status: 422,
      code: 'country_not_allowed',
      title: 'Country not allowed',
      detail: country.startsWith('+')
        ? `This route does not call numbers with the country code ${quoteInput(country)}.`
        : `This route does not call numbers in ${quoteInput(country)}.`,
    });
    this.name = 'CountryNotAllowedError';
  }
}

export class NumberTypeNotAllowedError extends ProblemError {
  constructor(type: string) {
    super({
      status: 422,
      code: 'number_type_not_allowed',
      title: 'Number type not allowed',
      detail: `callhook does not call ${type} numbers.`,
    });
    this.name = 'NumberTypeNotAllowedError';
  }
}

export class OwnNumberError extends ProblemError {
  constructor() {
    super({
      status: 422,
      code: 'own_number',
      title: 'Own number',
      detail: "The number is one of the account's own virtual numbers.",
    });
    this.name = 'OwnNumberError';
  }
}

export class MessageTooLongError extends ProblemError {
  constructor(length: number, max: number) {
    super({
      status: 422,
      code: 'message_too_long',
      title: 'Message too long',
      detail: `The message built from this payload has ${length} characters; the route allows ${max}.`,
    });
    this.name = 'MessageTooLongError';
  }
}

export class ContactRateLimitedError extends ProblemError {
  constructor(limit: number) {
    super({
      status: 429,
      code: 'contact_rate_limited',
      title: 'Too many calls to this number',
      detail: `This number has had ${limit} calls in the last 24 hours, the most allowed.`,
    });
    this.name = 'ContactRateLimitedError';
  }
}

export class NotAbandonableError extends ProblemError {
  constructor(
    call: { call_id: string; status: string; lease_expires_at?: string | undefined },
    why: string,
  ) {
    super({
      status: 409,
      code: 'not_abandonable',
      title: 'Call cannot be abandoned',
      detail: `Call ${call.call_id} is ${call.status}: ${why}.`,
      extensions: {
        call_id: call.call_id,
        call_status: call.status,
        ...(call.status === 'dialing' &&
          call.lease_expires_at !== undefined && { lease_expires_at: call.lease_expires_at }),
      },
    });
    this.name = 'NotAbandonableError';
  }
}
