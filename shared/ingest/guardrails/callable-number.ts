import { guardrail } from './guardrail.ts';

/**
 * The event's phone number: one that parses, in a country the route allows, of a type callhook
 * calls (`callablePhone`, worked out once in `Candidate.contact`).
 */
export const callableNumber = guardrail({
  refuses: {
    invalid_phone: 'the payload has no phone, or it is not a valid number',
    country_not_allowed: 'the number is in a country the route does not allow',
    number_type_not_allowed: 'a premium-rate, shared-cost or unknown type of number',
  },
  skipped: 'always',
  check: (candidate) => {
    candidate.contact();
    return undefined;
  },
});
