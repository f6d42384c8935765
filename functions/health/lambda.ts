/** The Lambda entry point (`infra/bundling.ts`); the handler needs no ports. */
export { handler } from './handler.ts';
