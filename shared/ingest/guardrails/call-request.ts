import { guardrail } from './guardrail.ts';

/**
 * The call itself: every field the route maps from the payload is there and makes a valid
 * request for the account's backend (`BackendEntry.request`, worked out once in
 * `Candidate.request`). A route expression that fails on the payload is refused so too.
 */
export const callRequest = guardrail({
  refuses: {
    invalid_payload:
      'the payload lacks a field the route needs (e.g. the text of the message), an expression of the route fails on it, or it gives a JAICP bot variable the record cannot keep',
  },
  skipped: 'always',
  check: async (candidate) => {
    await candidate.request();
    return undefined;
  },
});
