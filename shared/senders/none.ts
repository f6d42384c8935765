import * as z from 'zod';
import { NOTHING_MORE, senderScheme } from './sender-scheme.ts';

/** No check at all: only when spelled out, and `npm start`, `config:check` and ingest warn. */
export const none = senderScheme({
  auth: z.strictObject({ type: z.literal('none') }).describe('No check at all: anyone can call.'),
  secret: null,
  signs: false,
  verify: () => NOTHING_MORE,
  sign: (body) => ({ headers: {}, body }),
  presets: {},
});
