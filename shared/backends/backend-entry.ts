import type { AccountConfig, RouteConfig } from '../config/schema.ts';
import type { SecretShape } from '../secrets/secret-shapes.ts';
import type { BackendRequest } from './backend-request.ts';
import type { BackendCapabilities, CallBackend } from './call-backend.ts';
import type { ConnectionSettings } from './connection.ts';
import type { FollowUp } from './outcome-reports.ts';
import type { ProbeOutcome } from './probe/probe-report.ts';

/** A route's `call` as the config gives it, whichever backend places it. */
export type RouteCall = RouteConfig['call'];

/**
 * What a backend's mapping gets to build the request for one event. No clock: the request must
 * follow from the event alone, since every delivery of the event is compared by it (a value
 * taken from the time of receipt makes each resend another request, a 409).
 */
export interface RequestInput<A extends AccountConfig, C extends RouteCall> {
  account: A;
  route: RouteConfig;
  /** The route's call, of a method this backend takes. */
  call: C;
  /** The number to call, already normalised within the route's guardrails. */
  contact: string;
  /** Evaluates one of the route's expressions against the payload (a 422 when it fails). */
  evaluate(source: string): Promise<unknown>;
  /** Evaluates one to text (a number becomes its digits); a 422 naming `what` when it gives none. */
  text(source: string, what: string): Promise<string>;
}

/**
 * What callhook knows about one backend without reaching its provider: its entry in
 * `registry.ts`, keyed by the `backend` its accounts name. Ingest needs this much to map an
 * event to a request, and no more. Its account and call schemas are in the config schema, which
 * no function bundle carries; its clients are in `client-registry.ts` (`BackendClients`).
 */
export interface BackendEntry<
  A extends AccountConfig,
  C extends RouteCall,
  R extends BackendRequest,
> {
  /** How the config's errors name an account of this backend: "a Call API account". */
  readonly label: string;
  /** The route call methods it places: a route's `call.method`, a stored request's `method`. */
  readonly methods: readonly C['method'][];
  /** What the account's `secret` must hold. */
  readonly secretShape: SecretShape;
  readonly capabilities: BackendCapabilities;
  /** The account's own numbers (its caller ids, also those its routes set): never called. */
  ownNumbers(account: A, calls: readonly C[]): readonly string[];
  /** How a placed call's end is learned after its notification, or instead of one. */
  followUp(account: A): FollowUp;
  /** The secret that authenticates the provider's notifications (`POST /events/{account}`). */
  eventsSecret(account: A): string | undefined;
  /**
   * The route expressions its `request` evaluates for a call (its message, its variables), so
   * that ingest evaluates them with the route's others, once per event.
   */
  expressions(call: C): readonly string[];
  /** How a route's call becomes this backend's request for one event. */
  request(input: RequestInput<A, C>): Promise<R>;
  /** Who runs the account, as its operator knows it ("UIS"): where to whitelist or renew a key. */
  provider(account: A): string;
}

/**
 * How callhook reaches one backend's provider: its entry in `client-registry.ts`, apart from
 * `BackendEntry` so that a function that only maps requests (ingest) does not carry the clients
 * in its bundle. Each module loads on first use, so a function evaluates only the backends its
 * accounts use.
 */
export interface BackendClients<A extends AccountConfig> {
  /**
   * One cheap authenticated request, for the probe from inside the VPC; never throws, never
   * reports a secret's value.
   */
  probe(account: A, settings: ConnectionSettings): Promise<ProbeOutcome>;
  /** The backend an account's calls go through. */
  create(account: A, settings: ConnectionSettings): Promise<CallBackend>;
}
