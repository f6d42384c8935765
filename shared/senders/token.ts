import type { TokenAuth } from './auth-schemas.ts';
import { SAMPLE_CUSTOMER, sampleId } from './samples.ts';
import { NOTHING_MORE, senderScheme } from './sender-scheme.ts';
import { verifyToken } from './token-check.ts';

/**
 * For senders that cannot sign (site builders, form tools, no-code steps): a shared token in a
 * header or in the query string. It proves who sent the request, not what it says.
 */
export const token = senderScheme<typeof TokenAuth>()({
  type: 'token',
  secret: 'token',
  signs: false,
  verify: (request, auth, secret) => {
    verifyToken(request, auth, secret);
    return NOTHING_MORE;
  },
  // The header: Tilda puts the token in the URL instead, which the verifier accepts as well.
  sign: (body, auth, secret) => ({ headers: { [auth.header]: secret }, body }),
  presets: {
    'tilda-form': {
      route: {
        auth: { type: 'token' },
        call: {
          method: 'start.simple_call',
          contact: 'Phone',
          params: { first_call: 'operator' },
        },
        idempotency_key: 'tranid',
        // Tilda checks a new webhook with a form post `test=test`.
        condition: "$not(test = 'test') and $boolean(Phone)",
        on_refusal: 'accept',
      },
      // A form post: the form's own fields, then Tilda's `tranid` (one per submission) and `formid`.
      sample: ({ phone, now, language }) => ({
        format: 'form',
        fields: {
          Name: SAMPLE_CUSTOMER[language].first_name,
          Phone: phone,
          tranid: `4711001:${sampleId(now)}`,
          formid: 'form123456789',
        },
      }),
    },
    generic: {
      route: {
        auth: { type: 'token' },
        call: {
          method: 'start.informer_call',
          contact: 'phone',
          contact_message: { type: 'tts', value: 'message' },
        },
      },
      sample: ({ phone, now, language }) => ({
        format: 'json',
        fields: {
          phone,
          message:
            language === 'ru'
              ? 'Это проверочный звонок от callhook.'
              : 'This is a test call from callhook.',
          // Another event on every run: the route has no idempotency key of its own.
          sent_at: now.toISOString(),
        },
      }),
    },
  },
});
