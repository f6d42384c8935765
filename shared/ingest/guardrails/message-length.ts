import { guardrail } from './guardrail.ts';

/** A TTS text no longer than the route's `max_message_length`. */
export const messageLength = guardrail({
  refuses: {
    message_too_long: 'the TTS text built from the payload is longer than `max_message_length`',
  },
  skipped: 'always',
  check: async ({ route, event }, refuse) => {
    const template = 'contact_message' in route.call ? route.call.contact_message : undefined;
    if (template?.type !== 'tts') return undefined;
    const value = await event.value(template.value);
    // A payload without the text is refused by the call's mapping (`invalid_payload`).
    const message = typeof value === 'number' ? String(value) : value;
    if (typeof message !== 'string' || message.trim() === '') return undefined;
    if (message.length <= route.max_message_length) return undefined;
    return refuse(
      'message_too_long',
      `The message built from this payload has ${message.length} characters; the route allows ${route.max_message_length}.`,
    );
  },
});
