import { E164Digits } from '../backends/callapi/api/call-params.ts';
import * as z from '../validation/zod.ts';

/**
 * The provider's notification of an inbound call (the third template in docs/operating.md):
 * the customer rang one of the account's numbers. `contact_phone_number` is the caller, in
 * full international form (`+`, spaces and dashes are dropped); the rest is kept as it came.
 */
export const InboundCall = z.looseObject({
  event: z.literal('inbound'),
  contact_phone_number: z.pipe(
    z.union([z.string(), z.number()]),
    z.pipe(
      z.transform((value: string | number) => String(value).replace(/[\s()+-]/g, '')),
      E164Digits,
    ),
  ),
  virtual_phone_number: z.optional(z.union([z.string(), z.number()])),
  call_session_id: z.optional(z.union([z.string(), z.number()])),
});
export type InboundCall = z.infer<typeof InboundCall>;
