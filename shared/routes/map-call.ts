import { type CallRequest, entryOf } from '../backends/registry.ts';
import type { AccountConfig, CallhookConfig, RouteConfig } from '../config/schema.ts';
import type { Payload } from '../http/parse-body.ts';
import { ProblemError } from '../http/problem-error.ts';
import { compileExpression, type Expression } from './expression.ts';
import { normalisePhone } from './phone.ts';
import type { PhoneNumbering } from './phone-numbering.ts';

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

const textOf = async (source: string, payload: Payload, what: string): Promise<string> => {
  const value = await evaluate(source, payload);
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ProblemError('invalid_payload', `The payload gives no ${what}.`);
  }
  return value;
};

/** JSONata's own notion of true (an empty string, array or object is false), for conditions. */
export const conditionHolds = async (source: string, payload: Payload): Promise<boolean> =>
  (await evaluate(`$boolean(${source})`, payload)) === true;

const ownNumbersOf = new WeakMap<CallhookConfig, string[]>();

/** Every number the config's accounts and routes call from (worked out once per config): never called. */
const ownNumbers = (config: CallhookConfig): string[] => {
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
 * Builds the request for one event from the route's fixed params and its mapping, within the
 * route's guardrails: allowed countries and number types, never an own number; the account's
 * backend builds the rest (`BackendEntry.request`).
 */
export const mapCall = async (
  config: CallhookConfig,
  numbering: PhoneNumbering,
  route: RouteConfig,
  account: AccountConfig,
  payload: Payload,
): Promise<CallRequest> => {
  const contact = normalisePhone(await evaluate(route.call.contact, payload), {
    defaultCountry: route.default_country,
    allowedCountries: route.allowed_countries ?? [route.default_country],
    forbidden: ownNumbers(config),
    numbering,
  });
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
    evaluate: (source) => evaluate(source, payload),
    text: (source, what) => textOf(source, payload, what),
  });
};
