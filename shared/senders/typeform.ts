import * as z from 'zod';
import { SecretName } from '../config/secret-name.ts';
import type { RawRequest } from '../http/raw-request.ts';
import { NOTHING_MORE, senderScheme } from './sender-scheme.ts';
import { hmac, requireHeader, requireMatch } from './signature.ts';

/** Typeform: `Typeform-Signature: sha256=<base64 HMAC-SHA256 of the raw body>`. */
export const verifyTypeform = (request: RawRequest, secret: string): void =>
  requireMatch(
    [requireHeader(request, 'Typeform-Signature')],
    `sha256=${hmac('sha256', secret, request.body).toString('base64')}`,
  );

const phone = "form_response.answers[type = 'phone_number'][0].phone_number";

export const typeform = senderScheme({
  auth: z.strictObject({
    type: z.literal('typeform'),
    secret: SecretName.describe("Secret holding the webhook's secret (Typeform-Signature)."),
  }),
  secret: 'signing-key',
  signs: true,
  verify: (request, _auth, secret) => {
    verifyTypeform(request, secret);
    return NOTHING_MORE;
  },
  presets: {
    'typeform-form-response': {
      auth: { type: 'typeform' },
      call: {
        method: 'start.informer_call',
        contact: phone,
        contact_message: {
          type: 'tts',
          value: "'Thank you for your answers. We will be in touch soon.'",
        },
      },
      event_time: 'form_response.submitted_at',
      idempotency_key: 'event_id',
      condition: `event_type = 'form_response' and $boolean(${phone})`,
    },
  },
});
