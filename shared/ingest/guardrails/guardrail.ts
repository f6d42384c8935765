import type { CallRequest } from '../../backends/config-registry.ts';
import type { CallRecord } from '../../calls/call-record.ts';
import type { CallStore } from '../../calls/call-store.ts';
import type { AccountConfig, CallhookConfig, RouteConfig } from '../../config/schema.ts';
import type { ProblemCode, ProblemError } from '../../http/problem-error.ts';
import type { Logger } from '../../logging/logger.ts';
import type { EventContext } from '../event-context.ts';

/**
 * The event a guardrail judges, its values read once. `contact()` and `request()` are worked
 * out on first use (and throw the refusal of whatever stands in their way): a guardrail that
 * reads them runs after those that check them (`GUARDRAILS` is in order).
 */
export interface Candidate {
  readonly routeName: string;
  readonly route: RouteConfig;
  readonly account: AccountConfig;
  readonly config: CallhookConfig;
  readonly callId: string;
  readonly now: Date;
  readonly event: EventContext;
  /** The number to call, parsed and within the route's countries and types. */
  contact(): string;
  /** The backend's request for the event (`BackendEntry.request`). */
  request(): Promise<CallRequest>;
}

/**
 * What a stateful guardrail took for an event that another delivery had already stored: given
 * back, since that delivery places no call.
 */
export interface Hold {
  giveBack(existing: CallRecord): Promise<void>;
  /** A later guardrail refused the event: what was taken for it is given back. */
  release?(): Promise<void>;
  /** The event's call was stored (created by this delivery): what follows from it. */
  stored?(record: CallRecord): Promise<void>;
}

/**
 * Makes a refusal, of one of the guardrail's own codes only; `extensions` are members of its
 * answer (and of the skipped record where they say so: `duplicate_of`).
 */
export type Refuse<C extends ProblemCode> = (
  code: C,
  detail: string,
  headers?: Record<string, string>,
  extensions?: Record<string, unknown>,
) => ProblemError;

/**
 * What every stateful guardrail may read besides its own port; `update` only to write the
 * history line that links another call to this event (the contact window's).
 */
export type GuardrailDeps = {
  store: Pick<CallStore, 'get' | 'update'>;
  logger: Logger;
};

/**
 * One check an authentic event must pass to ring. Its refusals say "this event must not ring",
 * not "this request is wrong": the event is kept as `skipped` (so the sender's retries of it
 * are duplicates), and the sender hears what the route's `on_refusal` says.
 */
export interface Guardrail<C extends ProblemCode, Ports extends object = object> {
  /** Each code it refuses with, and when (the docs' table of skip reasons is made of these). */
  readonly refuses: { readonly [K in C]: string };
  /**
   * `on_accept_routes`: on a `reject` route the refusal is answered and nothing is stored (the
   * cap's 429, so the sender may send the event again once the number has room).
   */
  readonly skipped: 'always' | 'on_accept_routes';
  /** The ports a stateful guardrail works with, by their names in `IngestDeps` (type only). */
  readonly ports?: Ports;
  /** Its refusal, `undefined` to let the event through, or (stateful) what it took for it. */
  check(
    candidate: Candidate,
    refuse: Refuse<C>,
    deps: Ports & GuardrailDeps,
  ): ProblemError | Hold | undefined | Promise<ProblemError | Hold | undefined>;
}

/** A guardrail, its codes checked against the problem catalogue and its refusals against them. */
export const guardrail = <C extends ProblemCode, Ports extends object = object>(
  definition: Guardrail<C, Ports>,
): Guardrail<C, Ports> => definition;

/** Declares a stateful guardrail's port: `ports: port<ContactCapStore>()('contacts')`. */
export const port =
  <T>() =>
  <N extends string>(_name: N): { [K in N]: T } =>
    ({}) as { [K in N]: T };
