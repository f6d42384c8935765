import * as z from '../../../validation/zod.ts';

/*
 * The parameters of the two methods that start callhook's calls, field for field as their
 * method pages document them: what a route's mapping must produce and ingest checks.
 */

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
export const startCallFields = {
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
