import { EpochSeconds, ProviderId } from '../../../validation/provider-numbers.ts';
import * as z from '../../../validation/zod.ts';
import {
  E164Digits,
  InformerCallParams,
  Message,
  SimpleCallParams,
  startCallFields,
} from './call-params.ts';

/*
 * The Call API methods the client knows, each with its documented params (without
 * `access_token`) and result. Ingest needs only the call params (`call-params.ts`), so it does
 * not build these schemas at its cold start.
 */

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

/*
 * The numbers of the results have their ranges (shared/validation/provider-numbers.ts): ids are
 * positive safe integers, `expire_at` a time before 2100. A result out of range is unreadable
 * (client.ts): after a call was asked for, `ambiguous`, never a session id that is no id
 * (`expire_at` alone is read as absent instead: see `LoginResult`).
 */

/** Every call-starting method answers with the new call's session id. */
export const StartCallResult = z.object({
  data: z.object({ call_session_id: ProviderId }),
});

/** `release.call` and `tag.call` document `"success": "true"` (a string); `logout.user` a boolean. */
export const SuccessResult = z.object({
  data: z.object({ success: z.union([z.boolean(), z.literal('true')]) }),
});

/**
 * `expire_at` only says when to log in again: out of its range (or absent) it reads as `null`,
 * and the session is kept for the documented hour (account.ts); a token the provider refuses
 * is renewed in any case. Failing the login over it would fail every call of the account.
 */
export const LoginResult = z.object({
  data: z.object({
    access_token: z.string().check(z.minLength(1)),
    expire_at: z.catch(z.nullable(EpochSeconds), null),
  }),
});

export const ActiveCall = z.object({
  call_session_id: ProviderId,
  direction: z.string(),
  start_time: z.string(),
  virtual_phone_number: z.string(),
  contact_phone_number: z.string(),
  external_id: z.nullable(z.string()),
  tags: z.array(z.object({ tag_id: ProviderId, tag_name: z.string() })),
  legs: z.array(
    z.object({
      leg_id: ProviderId,
      calling_phone_number: z.string(),
      called_phone_number: z.string(),
      is_operator: z.boolean(),
      employee_id: z.nullable(ProviderId),
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
