import * as z from 'zod';

/** E.164 as the Call API spells it: country code and number, digits only. */
export const E164Digits = z.string().regex(/^[1-9]\d{6,14}$/, 'E.164 digits without "+"');

/** Digits, `*`, `#`, and `.` for a one-second pause. */
export const DtmfString = z.string().regex(/^[0-9*#.]+$/, 'digits, "*", "#" and "."');

export const Message = z.strictObject({
  type: z.enum(['media', 'tts']),
  value: z.string().min(1),
});
export type Message = z.infer<typeof Message>;

const VirtualPhoneUsageRule = z.enum([
  'fixed',
  'fixed_for_numa',
  'random',
  'regional_random',
  'regional_fixed_for_numa',
]);

/** `start.simple_call` without `access_token`, field for field as documented. */
export const SimpleCallParams = z.strictObject({
  first_call: z.enum(['contact', 'operator']),
  switch_at_once: z.boolean().optional(),
  early_switching: z.boolean().optional(),
  media_file_id: z.number().int().optional(),
  virtual_phone_number: E164Digits,
  virtual_phone_usage_rule: VirtualPhoneUsageRule.optional(),
  show_virtual_phone_number: z.boolean().optional(),
  contact: E164Digits,
  external_id: z.string().optional(),
  dtmf_string: DtmfString.optional(),
  direction: z.enum(['in', 'out']).optional(),
  operator: E164Digits,
  operator_confirmation: z
    .string()
    .regex(/^([0-9*#]|any)$/)
    .optional(),
  contact_message: Message.optional(),
  operator_message: Message.optional(),
});
export type SimpleCallParams = z.infer<typeof SimpleCallParams>;

/** `start.informer_call` without `access_token`. */
export const InformerCallParams = z.strictObject({
  virtual_phone_number: E164Digits,
  virtual_phone_usage_rule: VirtualPhoneUsageRule.optional(),
  external_id: z.string().optional(),
  dtmf_string: DtmfString.optional(),
  direction: z.enum(['in', 'out']).optional(),
  contact: E164Digits,
  dialing_timeout: z.number().int().min(1).max(120).optional(),
  contact_message: Message,
});
export type InformerCallParams = z.infer<typeof InformerCallParams>;

/** Every call-starting method answers with the new call's session id. */
export const StartCallResult = z.object({
  data: z.object({ call_session_id: z.number().int() }),
});

export const CALL_METHODS = ['start.simple_call', 'start.informer_call'] as const;
export type CallMethod = (typeof CALL_METHODS)[number];

/** A call request as stored on the record and sent to the provider (token and external_id added then). */
export type CallRequest =
  | { method: 'start.simple_call'; params: SimpleCallParams }
  | { method: 'start.informer_call'; params: InformerCallParams };

type Parsed = { ok: true; request: CallRequest } | { ok: false; field: string };

const invalidAt = (error: z.ZodError): Parsed => ({
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
