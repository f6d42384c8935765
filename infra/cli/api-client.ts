import type { OperatorAction } from '../../functions/calls/routes.ts';
import type { ApiTarget } from './api-target.ts';
import { CliError, type ExitName } from './exit-codes.ts';
import { printable } from './format.ts';

/** A 2xx answer: its body exactly as sent (for `--json`), and parsed. */
export interface ApiAnswer {
  text: string;
  body: unknown;
}

/** The actions an operator takes on one call, `POST /calls/{id}/<action>`: the server's table's. */
export type CallAction = OperatorAction;

const TIMEOUT_MS = 30_000;

/** 401 and 403 are the key's fault; another 4xx the request's; anything else the server's. */
export const exitForStatus = (status: number): Exclude<ExitName, 'ok' | 'bug' | 'usage'> =>
  status === 401 || status === 403
    ? 'unauthorized'
    : status >= 400 && status < 500
      ? 'refused'
      : 'unreachable';

/** A problem (application/problem+json) as `code: detail`; any other answer by its status. */
export const describeFailure = (status: number, text: string): string => {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: a proxy's page, say.
  }
  const { code, detail, title } = (typeof body === 'object' && body !== null ? body : {}) as Record<
    string,
    unknown
  >;
  if (typeof code === 'string') {
    const why = typeof detail === 'string' ? detail : typeof title === 'string' ? title : '';
    return printable(why === '' ? code : `${code}: ${why}`);
  }
  const first = text.trim().split('\n')[0]?.slice(0, 200) ?? '';
  return printable(first === '' ? `HTTP ${status}` : `HTTP ${status}: ${first}`);
};

/**
 * JSON text as `--json` prints it: the same value, with DEL and the 8-bit controls (U+009B is a
 * CSI) written as `\u` escapes. Valid JSON holds them raw only inside strings, where the escape
 * means the same character, and JSON.stringify leaves them raw (it escapes only U+0000–U+001F).
 */
export const terminalSafeJson = (text: string): string =>
  text.replace(/[\u007f-\u009f]/g, (char) => `\\u00${char.charCodeAt(0).toString(16)}`);

/** callhook's `/calls` endpoints, with the admin key; every failure is a `CliError`. */
export class CallsApi {
  readonly #target: ApiTarget;

  constructor(target: ApiTarget) {
    this.#target = target;
  }

  list(query: Readonly<Record<string, string | undefined>>): Promise<ApiAnswer> {
    const defined = Object.entries(query).filter((entry): entry is [string, string] => {
      return entry[1] !== undefined;
    });
    return this.#request('GET', '/calls', new URLSearchParams(defined));
  }

  get(callId: string): Promise<ApiAnswer> {
    return this.#request('GET', `/calls/${encodeURIComponent(callId)}`);
  }

  /** The event the call was made for, as kept (masked): `GET /calls/{id}/event`. */
  event(callId: string): Promise<ApiAnswer> {
    return this.#request('GET', `/calls/${encodeURIComponent(callId)}/event`);
  }

  act(callId: string, action: CallAction, body?: unknown): Promise<ApiAnswer> {
    return this.#request('POST', `/calls/${encodeURIComponent(callId)}/${action}`, undefined, body);
  }

  /** The calls to a full number: the number goes in the body, never in the URL. */
  search(contact: string, route?: string): Promise<ApiAnswer> {
    return this.#request('POST', '/calls/search', undefined, {
      contact,
      ...(route !== undefined && { route }),
    });
  }

  async #request(
    method: 'GET' | 'POST',
    path: string,
    query?: URLSearchParams,
    body?: unknown,
  ): Promise<ApiAnswer> {
    const base = this.#target.baseUrl;
    const url = new URL(base);
    // On AWS a stage may put the API under a path: the endpoints are below it.
    url.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`;
    if (query !== undefined) url.search = query.toString();
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.#target.adminKey}`,
          accept: 'application/json',
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        // A redirect would take the key somewhere else: report it instead of following it.
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      // A network failure's cause says what went wrong (ECONNREFUSED, a certificate); an error
      // of fetch's own may quote the request's headers, the key among them: named only.
      const why =
        error instanceof Error && error.cause instanceof Error
          ? error.cause.message
          : error instanceof Error
            ? error.name
            : 'failed';
      throw new CliError('unreachable', printable(`cannot reach ${base.origin}: ${why}`));
    }
    const text = await response.text();
    if (response.status < 200 || response.status > 299)
      throw new CliError(exitForStatus(response.status), describeFailure(response.status, text));
    try {
      return { text: terminalSafeJson(text), body: JSON.parse(text) };
    } catch {
      throw new CliError(
        'unreachable',
        `${base.origin} answered ${response.status} with something that is not JSON: is --url callhook's API?`,
      );
    }
  }
}
