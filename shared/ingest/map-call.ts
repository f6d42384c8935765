import type { CallRequest } from '../backends/config-registry.ts';
import { entryOf } from '../backends/registry.ts';
import type { AccountConfig, CallhookConfig, RouteConfig } from '../config/schema.ts';
import type { Payload } from '../http/parse-body.ts';
import { ProblemError } from '../http/problem-error.ts';
import { compileExpression, type Expression } from '../routes/expression.ts';

// Route expressions are compiled once per container and reused for every event.
const compiled = new Map<string, Expression>();

const expressionFor = (source: string): Expression => {
  let expression = compiled.get(source);
  if (expression === undefined) {
    const result = compileExpression(source);
    // The config schema compiled every expression already; failing here means it was bypassed.
    if (!result.ok) throw new Error(result.message);
    expression = result.expression;
    compiled.set(source, expression);
  }
  return expression;
};

/** Evaluates a route expression against the payload. */
export const evaluate = async (source: string, payload: Payload): Promise<unknown> => {
  try {
    return await expressionFor(source).evaluate(payload);
  } catch (error) {
    throw new ProblemError(
      'invalid_payload',
      `The route's expression ${JSON.stringify(source)} failed on this payload.`,
      {},
      { cause: error },
    );
  }
};

/** A route expression's value on one payload, or the refusal its evaluation failed with. */
export type Evaluated = { ok: true; value: unknown } | { ok: false; error: ProblemError };

const settled = async (source: string, payload: Payload): Promise<Evaluated> => {
  try {
    return { ok: true, value: await evaluate(source, payload) };
  } catch (error) {
    if (error instanceof ProblemError) return { ok: false, error };
    throw error;
  }
};

const KEYS = /^e\d+$/;

/**
 * Evaluates every one of `sources` against the payload in one JSONata evaluation (an object
 * with one member per expression, each in its own block). Where that fails, each is evaluated
 * on its own, so a failing expression is refused only where it is read, with its own message.
 */
export const evaluateAll = async (
  sources: readonly string[],
  payload: Payload,
): Promise<ReadonlyMap<string, Evaluated>> => {
  const unique = [...new Set(sources)];
  const values = new Map<string, Evaluated>();
  if (unique.length === 0) return values;
  const combined = `{${unique.map((source, index) => `"e${index}": (${source}\n)`).join(', ')}}`;
  try {
    const result = (await expressionFor(combined).evaluate(payload)) as Record<string, unknown>;
    if (
      typeof result === 'object' &&
      result !== null &&
      Object.keys(result).every((key) => KEYS.test(key))
    ) {
      for (const [index, source] of unique.entries()) {
        values.set(source, { ok: true, value: result[`e${index}`] });
      }
      return values;
    }
  } catch {
    // One of them failed on this payload: which one says where it is refused.
  }
  for (const source of unique) values.set(source, await settled(source, payload));
  return values;
};

const textOf = async (
  value: (source: string) => Promise<unknown>,
  source: string,
  what: string,
): Promise<string> => {
  const text = await value(source);
  if (typeof text === 'number') return String(text);
  if (typeof text !== 'string' || text.trim() === '') {
    throw new ProblemError('invalid_payload', `The payload gives no ${what}.`);
  }
  return text;
};

const ownNumbersOf = new WeakMap<CallhookConfig, string[]>();

/** Every number the config's accounts and routes call from (worked out once per config): never called. */
export const ownNumbers = (config: CallhookConfig): string[] => {
  let numbers = ownNumbersOf.get(config);
  if (numbers === undefined) {
    const routes = Object.values(config.routes);
    numbers = Object.entries(config.accounts).flatMap(([name, account]) =>
      entryOf(account).ownNumbers(
        account,
        routes.filter((route) => route.account === name).map((route) => route.call),
      ),
    );
    ownNumbersOf.set(config, numbers);
  }
  return numbers;
};

/**
 * Builds the request for one event from the route's fixed params and its mapping, for a number
 * already checked by the guardrails; the account's backend builds the rest
 * (`BackendEntry.request`). `value` reads a route expression's value on the event's payload.
 */
export const requestFor = async (
  route: RouteConfig,
  account: AccountConfig,
  contact: string,
  value: (source: string) => Promise<unknown>,
): Promise<CallRequest> => {
  const entry = entryOf(account);
  const call = route.call;
  // The config schema refuses such a route; failing here means it was bypassed.
  if (!entry.methods.includes(call.method)) {
    throw new Error(`a "${call.method}" route on a "${account.backend}" account`);
  }
  return entry.request({
    account,
    route,
    call,
    contact,
    evaluate: value,
    text: (source, what) => textOf(value, source, what),
  });
};
