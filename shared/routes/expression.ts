import jsonata from 'jsonata';
import { fromMinorUnits, spokenMoney } from './money.ts';

export type Expression = ReturnType<typeof jsonata>;

/**
 * Functions every route expression may call, beyond JSONata's own (docs/senders.md): each is
 * pure, so a delivery repeated later builds the same call.
 */
const FUNCTIONS: Readonly<Record<string, (...args: unknown[]) => unknown>> = {
  fromMinorUnits: (amount, currency) => fromMinorUnits(amount, currency),
  money: (amount, currency, language) => spokenMoney(amount, currency, language),
};

/** Compiles a JSONata expression; returns the syntax error's message instead of throwing. */
export const compileExpression = (
  source: string,
): { ok: true; expression: Expression } | { ok: false; message: string } => {
  try {
    const expression = jsonata(source);
    for (const [name, implementation] of Object.entries(FUNCTIONS)) {
      expression.registerFunction(name, implementation);
    }
    return { ok: true, expression };
  } catch (error) {
    const message =
      typeof error === 'object' && error !== null && 'message' in error
        ? String(error.message)
        : 'invalid expression';
    return { ok: false, message: `not a valid JSONata expression: ${message}` };
  }
};
