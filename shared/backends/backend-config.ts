import type * as z from 'zod';
import type { SecretShape } from '../secrets/secret-shapes.ts';
import type { BackendRequest } from './backend-request.ts';

/** Who reads an account's secret: the functions that place calls, read reports, or take events. */
export type SecretReader = 'calls' | 'reports' | 'events';

/** A secret an account names: where (its field, dotted), what it holds, and who reads it. */
export interface AccountSecret {
  name: string;
  field: string;
  shape: SecretShape;
  readBy: SecretReader;
}

/** A problem the config schema reports about one account, at a path inside it. */
export interface AccountIssue {
  path: readonly (string | number)[];
  message: string;
}

/** What every account schema has: the backend it names, and the secret its calls are sent with. */
type AccountSchema = z.ZodObject<{
  backend: z.ZodType<string, string | undefined>;
  secret: z.ZodType<string>;
}>;

/** What every route call schema has: the method that names the backend's request. */
type CallSchema = z.ZodObject<{ method: z.ZodLiteral<string>; contact: z.ZodType<string> }>;

/**
 * Everything the config file says about one backend, in its own folder (`<backend>/config.ts`),
 * listed in `config-registry.ts`. The config schema builds its account and call unions from
 * these, as it builds sender auth from the schemes. It is classic Zod, so no function bundle
 * carries it: the functions read the parsed config, and import only these schemas' types.
 */
export interface BackendConfig<
  A extends AccountSchema,
  C extends CallSchema,
  R extends BackendRequest,
> {
  /** How the config's errors name an account of this backend: "a Call API account". */
  readonly label: string;
  readonly account: A;
  /** The route calls it places, one schema per method. */
  readonly calls: readonly [C, ...C[]];
  /** Rules across an account's fields that its schema alone cannot say. */
  accountIssues(account: z.output<A>): AccountIssue[];
  /** Why a route of this account cannot have `redial`; none when it can. */
  redialProblem(account: z.output<A>, accountName: string): string | undefined;
  /**
   * Why the account's calls end with no result (`talked`, `no_answer`…), which a route's
   * `escalate` needs; none when a report gives one.
   */
  resultProblem(account: z.output<A>, accountName: string): string | undefined;
  /** What the account's own secret holds, as the doctor's fix writes it in `put-secret-value`. */
  readonly credentialsExample: string;
  /** Every secret the account names. */
  secrets(account: z.output<A>): AccountSecret[];
  /** Type only: the request a route's call becomes (`BackendEntry.request`); never set. */
  readonly request?: R;
}
