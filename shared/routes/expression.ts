import jsonata from 'jsonata';

export type Expression = ReturnType<typeof jsonata>;

/** Compiles a JSONata expression; returns the syntax error's message instead of throwing. */
export const compileExpression = (
  source: string,
): { ok: true; expression: Expression } | { ok: false; message: string } => {
  try {
    return { ok: true, expression: jsonata(source) };
  } catch (error) {
    const message =
      typeof error === 'object' && error !== null && 'message' in error
        ? String(error.message)
        : 'invalid expression';
    return { ok: false, message: `not a valid JSONata expression: ${message}` };
  }
};
