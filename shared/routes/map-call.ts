import { parseCallRequest } from '../callapi/call-params.ts';
import type { CallRequest } from '../calls/call-request.ts';
import { ATTRIBUTE_LEVELS, unstorableReason } from '../calls/storable.ts';
import type { AccountConfig, CallhookConfig, RouteConfig } from '../config/schema.ts';
import type { Payload } from '../http/parse-body.ts';
import { ProblemError } from '../http/problem-error.ts';
import { compileExpression, type Expression } from './expression.ts';
import { jaicpWindowOf } from './jaicp-window.ts';
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
      {
        cause: error,
      },
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

/** Every virtual number the config names (worked out once per config): never called. */
const ownNumbers = (config: CallhookConfig): string[] => {
  let numbers = ownNumbersOf.get(config);
  if (numbers === undefined) {
    numbers = [
      ...Object.values(config.accounts).flatMap((account) =>
        account.backend === 'callapi' ? [account.virtual_phone_number] : [],
      ),
      ...Object.values(config.routes).flatMap((route) =>
        'virtual_phone_number' in route.call.params &&
        route.call.params.virtual_phone_number !== undefined
          ? [route.call.params.virtual_phone_number]
          : [],
      ),
    ];
    ownNumbersOf.set(config, numbers);
  }
  return numbers;
};

/**
 * Builds the request for one event from the route's fixed params and its mapping, within the
 * route's guardrails: allowed countries and number types, never an own number, and a message
 * no longer than the route allows.
 */
export const mapCall = async (
  config: CallhookConfig,
  numbering: PhoneNumbering,
  route: RouteConfig,
  account: AccountConfig,
  payload: Payload,
  now: Date,
): Promise<CallRequest> => {
  const contact = normalisePhone(await evaluate(route.call.contact, payload), {
    defaultCountry: route.default_country,
    allowedCountries: route.allowed_countries ?? [route.default_country],
    forbidden: ownNumbers(config),
    numbering,
  });
  const call = route.call;
  if (call.method === 'jaicp.addPhones') {
    const variables: Record<string, unknown> = {};
    for (const [name, source] of Object.entries(call.payload ?? {})) {
      const value = await evaluate(source, payload);
      // The record keeps the request as it will be sent: request → params → payload → value.
      const problem = unstorableReason(value, ATTRIBUTE_LEVELS - 3);
      if (problem !== undefined) {
        throw new ProblemError(
          'invalid_payload',
          `The bot variable ${JSON.stringify(name)} built from this payload ${problem}.`,
        );
      }
      variables[name] = value;
    }
    const policy = Object.fromEntries(
      Object.entries(call.params).filter(([, value]) => value !== undefined),
    ) as { [K in keyof typeof call.params]-?: Exclude<(typeof call.params)[K], undefined> };
    return {
      method: call.method,
      params: {
        contact,
        ...(call.payload !== undefined && { payload: variables }),
        ...policy,
        ...jaicpWindowOf(route, now),
      },
    };
  }
  if (account.backend !== 'callapi') throw new Error('a Call API route on a JAICP account');
  const template = call.contact_message;
  const message =
    template === undefined ? undefined : await textOf(template.value, payload, 'message');
  if (
    message !== undefined &&
    template?.type === 'tts' &&
    message.length > route.max_message_length
  ) {
    throw new ProblemError(
      'message_too_long',
      `The message built from this payload has ${message.length} characters; the route allows ${route.max_message_length}.`,
    );
  }
  const params = {
    ...call.params,
    virtual_phone_number: call.params.virtual_phone_number ?? account.virtual_phone_number,
    contact,
    ...(template !== undefined &&
      message !== undefined && { contact_message: { type: template.type, value: message } }),
  };
  const request = parseCallRequest(call.method, params);
  if (!request.ok) {
    throw new ProblemError(
      'invalid_payload',
      `The call built from this payload is invalid at ${request.field}.`,
    );
  }
  return request.request;
};
