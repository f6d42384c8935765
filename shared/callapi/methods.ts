import * as z from '../validation/zod.ts';

/** E.164 as the Call API spells it: country code and number, digits only. */
export const E164Digits = z.string().check(z.regex(/^[1-9]\d{6,14}$/, 'E.164 digits without "+"'));

/** Digits, `*`, `#`, and `.` for a one-second pause. */
export const DtmfString = z.string().check(z.regex(/^[0-9*#.]+$/, 'digits, "*", "#" and "."'));

export const Message = z.strictObject({
  type: z.enum(['media', 'tts']),
  value: z.string().check(z.minLength(1)),
});
export type Message = z.infer<typeof Message>;

const VirtualPhoneUsageRule = z.enum([
  'fixed',
  'fixed_for_numa',
  'random',
  'regional_random',
  'regional_fixed_for_numa',
]);

/** The fields every call-starting method shares, as each method page lists them. */
const startCallFields = {
  virtual_phone_number: E164Digits,
  virtual_phone_usage_rule: z.optional(VirtualPhoneUsageRule),
  contact: E164Digits,
  external_id: z.optional(z.string()),
  dtmf_string: z.optional(DtmfString),
  direction: z.optional(z.enum(['in', 'out'])),
};

/** `start.simple_call` without `access_token`, field for field as documented. */
export const SimpleCallParams = z.strictObject({
  ...startCallFields,
  first_call: z.enum(['contact', 'operator']),
  switch_at_once: z.optional(z.boolean()),
  early_switching: z.optional(z.boolean()),
  media_file_id: z.optional(z.int()),
  show_virtual_phone_number: z.optional(z.boolean()),
  operator: E164Digits,
  operator_confirmation: z.optional(z.string().check(z.regex(/^([0-9*#]|any)$/))),
  contact_message: z.optional(Message),
  operator_message: z.optional(Message),
});
export type SimpleCallParams = z.infer<typeof SimpleCallParams>;

/** `start.informer_call` without `access_token`. */
export const InformerCallParams = z.strictObject({
  ...startCallFields,
  dialing_timeout: z.optional(z.int().check(z.minimum(1), z.maximum(120))),
  contact_message: Message,
});
export type InformerCallParams = z.infer<typeof InformerCallParams>;

/** `start.scenario_call`: calls through one of the account's scenarios. */
export const ScenarioCallParams = z.strictObject({
  ...startCallFields,
  first_call: z.enum(['contact', 'employee']),
  switch_at_once: z.optional(z.boolean()),
  early_switching: z.optional(z.boolean()),
  scenario_id: z.int(),
  contact_message: z.optional(Message),
  employee_message: z.optional(Message),
});

/** `start.vnumber_call`: a call to a virtual number. The method page's own example also sends
 * `show_virtual_phone_number`, which its table omits; we accept what the example sends. */
export const VnumberCallParams = z.strictObject({
  ...startCallFields,
  first_call: z.enum(['contact', 'employee']),
  switch_at_once: z.optional(z.boolean()),
  early_switching: z.optional(z.boolean()),
  show_virtual_phone_number: z.optional(z.boolean()),
  contact_message: z.optional(Message),
});

/** `start.employee_call`: connects the contact with one of the account's employees. */
export const EmployeeCallParams = z.strictObject({
  ...startCallFields,
  first_call: z.enum(['contact', 'employee']),
  switch_at_once: z.optional(z.boolean()),
  early_switching: z.optional(z.boolean()),
  media_file_id: z.optional(z.int()),
  show_virtual_phone_number: z.optional(z.boolean()),
  employee: z.strictObject({ id: z.int(), phone_number: z.optional(z.string()) }),
  contact_message: z.optional(Message),
  employee_message: z.optional(Message),
});

export const CallSessionParams = z.strictObject({ call_session_id: z.int() });
export const TagCallParams = z.extend(CallSessionParams, { tag_id: z.int() });
export const ListCallsParams = z.strictObject({
  direction: z.optional(z.enum(['in', 'out'])),
  virtual_phone_number: z.optional(E164Digits),
});
export const LoginParams = z.strictObject({
  login: z.string().check(z.minLength(1)),
  password: z.string().check(z.minLength(1)),
});
export const NoParams = z.strictObject({});

/** Every call-starting method answers with the new call's session id. */
export const StartCallResult = z.object({
  data: z.object({ call_session_id: z.int() }),
});

/** `release.call` and `tag.call` document `"success": "true"` (a string); `logout.user` a boolean. */
export const SuccessResult = z.object({
  data: z.object({ success: z.union([z.boolean(), z.literal('true')]) }),
});

export const LoginResult = z.object({
  data: z.object({ access_token: z.string().check(z.minLength(1)), expire_at: z.number() }),
});

export const ActiveCall = z.object({
  call_session_id: z.int(),
  direction: z.string(),
  start_time: z.string(),
  virtual_phone_number: z.string(),
  contact_phone_number: z.string(),
  external_id: z.nullable(z.string()),
  tags: z.array(z.object({ tag_id: z.number(), tag_name: z.string() })),
  legs: z.array(
    z.object({
      leg_id: z.number(),
      calling_phone_number: z.string(),
      called_phone_number: z.string(),
      is_operator: z.boolean(),
      employee_id: z.nullable(z.number()),
      employee_full_name: z.nullable(z.string()),
      record_call_enabled: z.boolean(),
      state: z.string(),
    }),
  ),
});
export type ActiveCall = z.infer<typeof ActiveCall>;

export const ListCallsResult = z.object({ data: z.array(ActiveCall) });

/**
 * The methods callhook uses, each with its documented params (without `access_token`) and result.
 * `authenticated: false` marks the one method that is called without a token.
 */
export const METHODS = {
  'login.user': { params: LoginParams, result: LoginResult, authenticated: false },
  'logout.user': { params: NoParams, result: SuccessResult, authenticated: true },
  'start.simple_call': { params: SimpleCallParams, result: StartCallResult, authenticated: true },
  'start.informer_call': {
    params: InformerCallParams,
    result: StartCallResult,
    authenticated: true,
  },
  'start.scenario_call': {
    params: ScenarioCallParams,
    result: StartCallResult,
    authenticated: true,
  },
  'start.employee_call': {
    params: EmployeeCallParams,
    result: StartCallResult,
    authenticated: true,
  },
  'start.vnumber_call': { params: VnumberCallParams, result: StartCallResult, authenticated: true },
  'release.call': { params: CallSessionParams, result: SuccessResult, authenticated: true },
  'list.calls': { params: ListCallsParams, result: ListCallsResult, authenticated: true },
  'tag.call': { params: TagCallParams, result: SuccessResult, authenticated: true },
} as const;

export type MethodName = keyof typeof METHODS;
export type ParamsOf<M extends MethodName> = z.input<(typeof METHODS)[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<(typeof METHODS)[M]['result']>;

export const CALL_METHODS = ['start.simple_call', 'start.informer_call'] as const;
export type CallMethod = (typeof CALL_METHODS)[number];

/** A call request as stored on the record and sent to the provider (token and external_id added then). */
export type CallApiRequest =
  | { method: 'start.simple_call'; params: SimpleCallParams }
  | { method: 'start.informer_call'; params: InformerCallParams };

type Parsed = { ok: true; request: CallApiRequest } | { ok: false; field: string };

const invalidAt = (error: z.core.$ZodError): Parsed => ({
  ok: false,
  field: error.issues[0]?.path.join('.') || 'params',
});

/** Checks params against the method's documented schema. */
export const parseCallRequest = (method: CallMethod, params: unknown): Parsed => {
  if (method === 'start.simple_call') {
    const result = SimpleCallParams.safeParse(params);
    return result.success
      ? { ok: true, request: { method, params: result.data } }
      : invalidAt(result.error);
  }
  const result = InformerCallParams.safeParse(params);
  return result.success
    ? { ok: true, request: { method, params: result.data } }
    : invalidAt(result.error);
};
