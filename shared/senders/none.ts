import type { NoneAuth } from './auth-schemas.ts';
import { NOTHING_MORE, senderScheme } from './sender-scheme.ts';

/** No check at all: only when spelled out, and `npm start`, `config:check` and ingest warn. */
export const none = senderScheme<typeof NoneAuth>()({
  type: 'none',
  secret: null,
  signs: false,
  verify: () => NOTHING_MORE,
  sign: (body) => ({ headers: {}, body }),
  presets: {},
});
