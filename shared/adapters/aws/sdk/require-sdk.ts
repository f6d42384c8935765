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
