import type { RawRequest } from '../http/raw-request.ts';
import type { TypeformAuth } from './auth-schemas.ts';
import { SAMPLE_CUSTOMER, sampleId } from './samples.ts';
import { NOTHING_MORE, senderScheme } from './sender-scheme.ts';
import { hmac, requireHeader, requireMatch } from './signature.ts';

/** Typeform: `Typeform-Signature: sha256=<base64 HMAC-SHA256 of the raw body>`. */
export const verifyTypeform = (request: RawRequest, secret: string): void =>
  requireMatch(
    [requireHeader(request, 'Typeform-Signature')],
    `sha256=${hmac('sha256', secret, request.body).toString('base64')}`,
  );

const phone = "form_response.answers[type = 'phone_number'][0].phone_number";

export const typeform = senderScheme<typeof TypeformAuth>()({
  type: 'typeform',
  secret: 'signing-key',
  signs: true,
  verify: (request, _auth, secret) => {
    verifyTypeform(request, secret);
    return NOTHING_MORE;
  },
  sign: (body, _auth, secret) => ({
    headers: { 'Typeform-Signature': `sha256=${hmac('sha256', secret, body).toString('base64')}` },
    body,
  }),
  presets: {
    'typeform-form-response': {
      route: {
        auth: { type: 'typeform' },
        call: { method: 'start.informer_call', contact: phone },
        event_time: 'form_response.submitted_at',
        on_refusal: 'accept',
        idempotency_key: 'event_id',
        condition: `event_type = 'form_response' and $boolean(${phone})`,
      },
      messages: {
        ru: "'Спасибо за ваши ответы! Мы скоро с вами свяжемся.'",
        en: "'Thank you for your answers. We will be in touch soon.'",
      },
      sample: ({ phone: to, now, language }) => ({
        format: 'json',
        fields: {
          event_id: `01SAMPLE${sampleId(now).toString(36).toUpperCase()}`,
          event_type: 'form_response',
          form_response: {
            form_id: 'lT4Z3j',
            token: `sample${sampleId(now)}`,
            submitted_at: now.toISOString(),
            definition: { id: 'lT4Z3j', title: 'Call me back' },
            answers: [
              {
                type: 'text',
                text: SAMPLE_CUSTOMER[language].first_name,
                field: { id: 'f1', type: 'short_text', ref: 'name' },
              },
              {
                type: 'phone_number',
                phone_number: to,
                field: { id: 'f2', type: 'phone_number', ref: 'phone' },
              },
            ],
          },
        },
      }),
    },
  },
});
