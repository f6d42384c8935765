import * as z from 'zod';
import { SecretName } from '../config/secret-name.ts';
import { HeaderName } from './auth-fields.ts';
import { NOTHING_MORE, senderScheme } from './sender-scheme.ts';
import { verifyToken } from './token-check.ts';

/**
 * For senders that cannot sign (site builders, form tools, no-code steps): a shared token in a
 * header or in the query string. It proves who sent the request, not what it says.
 */
export const token = senderScheme({
  auth: z
    .strictObject({
      type: z.literal('token'),
      secret: SecretName.describe('Secret whose value is the shared token.'),
      header: HeaderName.default('X-Callhook-Token'),
      query: z.string().min(1).default('token'),
    })
    .describe('A shared token in a header or the query string, for senders that cannot sign.'),
  secret: 'token',
  signs: false,
  verify: (request, auth, secret) => {
    verifyToken(request, auth, secret);
    return NOTHING_MORE;
  },
  presets: {
    'tilda-form': {
      auth: { type: 'token' },
      call: {
        method: 'start.simple_call',
        contact: 'Phone',
        params: { first_call: 'operator' },
      },
      idempotency_key: 'tranid',
      // Tilda checks a new webhook with a form post `test=test`.
      condition: "$not(test = 'test') and $boolean(Phone)",
    },
    generic: {
      auth: { type: 'token' },
      call: {
        method: 'start.informer_call',
        contact: 'phone',
        contact_message: { type: 'tts', value: 'message' },
      },
    },
  },
});
