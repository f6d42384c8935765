import type { Context } from 'aws-lambda';

type Handler<E, R> = (event: E, context: Context) => Promise<R>;

/**
 * Builds the production handler on its first invocation, so importing a handler module (as the
 * local runtime and the tests do) touches neither AWS nor the environment.
 */
export const lazyHandler = <E, R>(build: () => Promise<Handler<E, R>>): Handler<E, R> => {
  let built: Promise<Handler<E, R>> | undefined;
  return async (event, context) => {
    built ??= build();
    return (await built)(event, context);
  };
};
