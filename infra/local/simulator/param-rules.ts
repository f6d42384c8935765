import { RpcFailure } from './rpc-errors.ts';

/** One documented request parameter, as the method pages describe it. */
export interface ParamRule {
  type: 'string' | 'number' | 'boolean' | 'object';
  required?: boolean;
  oneOf?: readonly string[];
  pattern?: RegExp;
  max?: number;
  fields?: Readonly<Record<string, ParamRule>>;
}

export type ParamRules = Readonly<Record<string, ParamRule>>;

const E164: ParamRule = { type: 'string', required: true, pattern: /^\d{7,15}$/ };
const message = (required: boolean): ParamRule => ({
  type: 'object',
  required,
  fields: {
    type: { type: 'string', required: true, oneOf: ['media', 'tts'] },
    value: { type: 'string', required: true },
  },
});
const usageRule: ParamRule = {
  type: 'string',
  oneOf: ['fixed', 'fixed_for_numa', 'random', 'regional_random', 'regional_fixed_for_numa'],
};
const dtmf: ParamRule = { type: 'string', pattern: /^[0-9*#.]+$/ };
const direction: ParamRule = { type: 'string', oneOf: ['in', 'out'] };

const token: ParamRule = { type: 'string', required: true };
const callSession: ParamRule = { type: 'number', required: true };
const firstCallEmployee: ParamRule = {
  type: 'string',
  required: true,
  oneOf: ['contact', 'employee'],
};

/** The parameters every call-starting method page lists. */
const starterRules: ParamRules = {
  access_token: token,
  virtual_phone_number: E164,
  virtual_phone_usage_rule: usageRule,
  external_id: { type: 'string' },
  dtmf_string: dtmf,
  direction,
  contact: E164,
};

export const METHOD_RULES = {
  'login.user': {
    login: { type: 'string', required: true },
    password: { type: 'string', required: true },
  },
  'logout.user': { access_token: token },
  'start.scenario_call': {
    ...starterRules,
    first_call: firstCallEmployee,
    switch_at_once: { type: 'boolean' },
    early_switching: { type: 'boolean' },
    scenario_id: { type: 'number', required: true },
    contact_message: message(false),
    employee_message: message(false),
  },
  'start.vnumber_call': {
    ...starterRules,
    first_call: firstCallEmployee,
    switch_at_once: { type: 'boolean' },
    early_switching: { type: 'boolean' },
    // Missing from the method's table, but sent by the method page's own example.
    show_virtual_phone_number: { type: 'boolean' },
    contact_message: message(false),
  },
  'start.employee_call': {
    ...starterRules,
    first_call: firstCallEmployee,
    switch_at_once: { type: 'boolean' },
    early_switching: { type: 'boolean' },
    media_file_id: { type: 'number' },
    show_virtual_phone_number: { type: 'boolean' },
    employee: {
      type: 'object',
      required: true,
      fields: {
        id: { type: 'number', required: true },
        phone_number: { type: 'string' },
      },
    },
    contact_message: message(false),
    employee_message: message(false),
  },
  'release.call': { access_token: token, call_session_id: callSession },
  'list.calls': {
    access_token: token,
    direction,
    virtual_phone_number: { type: 'string', pattern: /^\d{7,15}$/ },
  },
  'tag.call': {
    access_token: token,
    call_session_id: callSession,
    tag_id: { type: 'number', required: true },
  },
  'start.simple_call': {
    ...starterRules,
    first_call: { type: 'string', required: true, oneOf: ['contact', 'operator'] },
    switch_at_once: { type: 'boolean' },
    early_switching: { type: 'boolean' },
    media_file_id: { type: 'number' },
    show_virtual_phone_number: { type: 'boolean' },
    operator: E164,
    operator_confirmation: { type: 'string', pattern: /^([0-9*#]|any)$/ },
    contact_message: message(false),
    operator_message: message(false),
  },
  'start.informer_call': {
    ...starterRules,
    dialing_timeout: { type: 'number', max: 120 },
    contact_message: message(true),
  },
} as const satisfies Record<string, ParamRules>;

export type SimulatedMethod = keyof typeof METHOD_RULES;

/** The methods that start a call and answer with a `call_session_id`. */
export const CALL_STARTERS = [
  'start.simple_call',
  'start.informer_call',
  'start.scenario_call',
  'start.vnumber_call',
  'start.employee_call',
] as const satisfies readonly SimulatedMethod[];
export type CallStarter = (typeof CALL_STARTERS)[number];

/** Each method's component, as the overview's component table groups them. */
export const COMPONENT_OF: Record<SimulatedMethod, string> = {
  'login.user': 'Call API Basic set',
  'logout.user': 'Call API Basic set',
  'start.simple_call': 'Call API Basic set',
  'start.employee_call': 'Call API Basic set',
  'start.vnumber_call': 'Call API Basic set',
  'release.call': 'Call API Basic set',
  'start.informer_call': 'Call API Informer calls',
  'start.scenario_call': 'Call API Call scenario',
  'list.calls': 'Call API Call management',
  'tag.call': 'Call API Call management',
};

const typeOf = (value: unknown): string => (value === null ? 'null' : typeof value);

/** Checks params against the rules and throws the error the Call API would answer. */
export const checkParams = (
  params: Record<string, unknown>,
  rules: ParamRules,
  prefix = '',
): void => {
  const unexpected = Object.keys(params).filter((name) => !Object.hasOwn(rules, name));
  if (unexpected.length > 0) {
    throw new RpcFailure('unexpected_parameters', {
      field: `${prefix}${unexpected[0]}`,
      params: { parameters: unexpected.map((name) => `${prefix}${name}`) },
    });
  }
  for (const [name, rule] of Object.entries(rules)) {
    const field = `${prefix}${name}`;
    const value = params[name];
    if (value === undefined) {
      if (rule.required === true) throw new RpcFailure('required_parameter_missed', { field });
      continue;
    }
    if (typeOf(value) !== rule.type || (rule.type === 'object' && Array.isArray(value))) {
      throw new RpcFailure('data_type_error', { field, value: typeOf(value) });
    }
    const invalid = () => new RpcFailure('invalid_parameter_value', { field, value });
    if (typeof value === 'string') {
      if (rule.oneOf !== undefined && !rule.oneOf.includes(value)) throw invalid();
      if (rule.pattern !== undefined && !rule.pattern.test(value)) throw invalid();
    }
    if (typeof value === 'number' && rule.max !== undefined && value > rule.max) throw invalid();
    if (rule.fields !== undefined) {
      checkParams(value as Record<string, unknown>, rule.fields, `${field}.`);
    }
  }
};
