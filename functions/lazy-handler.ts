import type { Context } from 'aws-lambda';

type Handler<E, R> = (event: E, context: Context) => Promise<R>;

/**
 * Builds the production handler on its first invocation, so importing a function's entry
 * (`functions/<name>/lambda.ts`, as the cold-start benchmark does outside Lambda) reads no
 * environment and makes no client.
 */
export const lazyHandler = <E, R>(build: () => Promise<Handler<E, R>>): Handler<E, R> => {
  let built: Promise<Handler<E, R>> | undefined;
  return async (event, context) => {
    // A failed build is forgotten, so the next invocation tries again instead of failing too.
    built ??= build().catch((error: unknown) => {
      built = undefined;
      throw error;
    });
    return (await built)(event, context);
  };
};
