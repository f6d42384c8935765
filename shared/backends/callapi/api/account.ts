import * as z from '../../../validation/zod.ts';
import { CallApiError } from './call-api-error.ts';
import type { CallApiClient, CallApiReply } from './client.ts';
import type { MethodName, ParamsOf, ResultOf } from './methods.ts';

/** What an account's secret holds: a permanent key, or a login for sessions. */
export const CallApiCredentials = z.union([
  z.strictObject({ access_token: z.string().check(z.minLength(1)) }),
  z.strictObject({
    login: z.string().check(z.minLength(1)),
    password: z.string().check(z.minLength(1)),
  }),
]);
export type CallApiCredentials = z.infer<typeof CallApiCredentials>;

/** Renew a session this long before the provider says it expires. */
export const REFRESH_MARGIN_MS = 60_000;
/** How long a `login.user` session lasts (the overview: one hour), when `expire_at` is unusable. */
const SESSION_MS = 3_600_000;

const SESSION_REFUSED = new Set(['access_token_expired', 'access_token_invalid']);

const asConfigError = (error: CallApiError, why: string): CallApiError =>
  new CallApiError(
    {
      classification: 'config',
      message: `${why}: ${error.message}`,
      ...(error.code !== undefined && { code: error.code }),
      ...(error.mnemonic !== undefined && { mnemonic: error.mnemonic }),
      ...(error.limits !== undefined && { limits: error.limits }),
    },
    { cause: error },
  );

const isAuthError = (error: unknown): error is CallApiError =>
  error instanceof CallApiError && error.classification === 'auth';

/**
 * One Call API account: its client and its credentials. With a login, sessions come from
 * `login.user`, are reused until shortly before `expire_at`, and a token the provider refuses
 * is renewed once and the request repeated (an auth error means nothing was processed).
 * A refused permanent key or login is a configuration error: retrying cannot fix it.
 */
export class CallApiAccount {
  readonly #client: CallApiClient;
  readonly #credentials: CallApiCredentials;
  readonly #now: () => Date;
  #session: { token: string; expiresAtMs: number } | undefined;
  #pendingLogin: Promise<string> | undefined;

  constructor(
    client: CallApiClient,
    credentials: CallApiCredentials,
    now: () => Date = () => new Date(),
  ) {
    this.#client = client;
    this.#credentials = credentials;
    this.#now = now;
  }

  async call<M extends MethodName>(
    method: M,
    params: ParamsOf<M>,
  ): Promise<CallApiReply<ResultOf<M>>> {
    const credentials = this.#credentials;
    if ('access_token' in credentials) {
      try {
        return await this.#client.call(method, params, credentials.access_token);
      } catch (error) {
        if (isAuthError(error)) throw asConfigError(error, 'the permanent access key was refused');
        throw error;
      }
    }
    const token = await this.#token();
    try {
      return await this.#client.call(method, params, token);
    } catch (error) {
      if (!isAuthError(error) || !SESSION_REFUSED.has(error.mnemonic ?? '')) throw error;
      this.#forget(token);
      return this.#client.call(method, params, await this.#token());
    }
  }

  #token(): Promise<string> {
    const session = this.#session;
    if (session !== undefined && session.expiresAtMs - REFRESH_MARGIN_MS > this.#now().getTime()) {
      return Promise.resolve(session.token);
    }
    // Concurrent callers share one login.
    this.#pendingLogin ??= this.#login().finally(() => {
      this.#pendingLogin = undefined;
    });
    return this.#pendingLogin;
  }

  async #login(): Promise<string> {
    const { login, password } = this.#credentials as { login: string; password: string };
    try {
      const { result } = await this.#client.call('login.user', { login, password });
      const expireAt = result.data.expire_at;
      this.#session = {
        token: result.data.access_token,
        expiresAtMs: expireAt === null ? this.#now().getTime() + SESSION_MS : expireAt * 1000,
      };
      return result.data.access_token;
    } catch (error) {
      if (isAuthError(error)) throw asConfigError(error, 'login.user refused the login');
      throw error;
    }
  }

  /** Drops a refused token, unless another caller has already replaced it. */
  #forget(token: string): void {
    if (this.#session?.token === token) this.#session = undefined;
  }
}
