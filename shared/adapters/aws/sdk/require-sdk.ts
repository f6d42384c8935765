import { createRequire } from 'node:module';

/** The packages of the AWS SDK that the functions use (the Lambda runtime provides them). */
export type SdkPackage =
  | '@aws-sdk/client-dynamodb'
  | '@aws-sdk/lib-dynamodb'
  | '@aws-sdk/util-dynamodb'
  | '@aws-sdk/client-sqs'
  | '@aws-sdk/client-secrets-manager'
  | '@aws-sdk/client-ssm';

const load = createRequire(import.meta.url);

/**
 * Loads an AWS SDK package with `require`, not `import`. The SDK's packages are CommonJS without
 * an `exports` map, and Node brings such a package into an ES module by scanning its whole file
 * for the names it exports and wrapping it: most of a function's import time. The four packages
 * the functions use imported in 1.54 times the baseline's time through `import`, in 0.89 times
 * through `require` (docs/benchmarks.md). Each package is its own module here, so a function
 * loads only those it uses; on Lambda, `require` finds the runtime's SDK as `import` did.
 */
export const requireSdk = <T>(name: SdkPackage): T => load(name) as T;

/**
 * A package loaded on the first call of the function this returns rather than at import, and
 * kept: for a client some invocations never use (the sweeper's SQS and Secrets Manager, SSM
 * outside `secretStore=parameter-store`). A function that uses it on every invocation calls it at
 * import (`functions/<name>/lambda.ts`), so Lambda's init pays the load, not the first request.
 */
export const requireSdkOnFirstUse = <T>(name: SdkPackage): (() => T) => {
  let loaded: T | undefined;
  return () => {
    loaded ??= requireSdk<T>(name);
    return loaded;
  };
};
