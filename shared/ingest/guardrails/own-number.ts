import { ownNumbers } from '../map-call.ts';
import { guardrail } from './guardrail.ts';

/** Never a number the config's accounts and routes call from. */
export const ownNumber = guardrail({
  refuses: { own_number: "the number is one of the accounts' own virtual numbers" },
  skipped: 'always',
  check: ({ config, contact }, refuse) =>
    ownNumbers(config).includes(contact())
      ? refuse('own_number', "The number is one of the account's own virtual numbers.")
      : undefined,
});
