import * as z from 'zod';
import { compileExpression } from './expression.ts';

/** A JSONata expression evaluated against the webhook's payload, compiled to check it. */
export const ExpressionSource = z
  .string()
  .min(1)
  .superRefine((source, ctx) => {
    const compiled = compileExpression(source);
    if (!compiled.ok) ctx.addIssue({ code: 'custom', message: compiled.message });
  });
