/**
 * Where a deployment keeps the secrets its config names (`-c callhook:secretStore=…`):
 * Secrets Manager ($0.40 a secret a month), or SSM Parameter Store as `SecureString` parameters
 * (standard tier, the AWS-managed `aws/ssm` key: nothing at rest), `callhook/keys` included,
 * which the stack generates in either (docs/deploying-to-aws.md).
 */
export const SECRET_STORES = ['secrets-manager', 'parameter-store'] as const;
export type SecretStoreKind = (typeof SECRET_STORES)[number];

/**
 * The environment variable naming the kind. The CDK app sets it only with `parameter-store`, so
 * the functions of a deployment made before the setting (or without it) read Secrets Manager.
 */
export const SECRET_STORE_ENV = 'CALLHOOK_SECRET_STORE';

/** The kind an environment names; unset or empty: `secrets-manager`. */
export const secretStoreKindOf = (env: NodeJS.ProcessEnv): SecretStoreKind => {
  const value = env[SECRET_STORE_ENV];
  if (value === undefined || value === '') return 'secrets-manager';
  const kind = SECRET_STORES.find((known) => known === value);
  if (kind === undefined) {
    throw new Error(`${SECRET_STORE_ENV} is "${value}": expected ${SECRET_STORES.join(' or ')}`);
  }
  return kind;
};

/**
 * The one rule from a secret's name to its parameter's: `/` and the name as Secrets Manager would
 * hold it (the stage's prefix included), so `callhook/shopify` is `/callhook/shopify` and, staged,
 * `/staging--callhook/shopify`. Parameter Store wants a leading `/` on every name that has one
 * inside (a name in a hierarchy must be fully qualified).
 */
export const parameterNameOf = (storedSecretName: string): string => `/${storedSecretName}`;

/** Parameter Store's naming rules (PutParameter's "Naming Constraints"). */
const PARAMETER_NAME = /^[A-Za-z0-9/_.-]+$/;
const MAX_PARAMETER_DEPTH = 15;
/**
 * The longest name Parameter Store takes: 1,011 characters counted with the parameter's ARN in
 * front (`arn:<partition>:ssm:<region>:<account>:parameter`), for which this keeps 64.
 */
export const MAX_PARAMETER_NAME_LENGTH = 1011 - 64;

/**
 * Why a parameter name breaks Parameter Store's rules, or undefined. Secrets Manager takes names
 * Parameter Store does not (`+`, `=`, `@`), so with `parameter-store` the CDK app refuses them at
 * synth rather than letting the first `put-parameter` fail.
 */
export const parameterNameProblem = (parameterName: string): string | undefined => {
  if (!PARAMETER_NAME.test(parameterName)) {
    return 'may hold only letters, digits and /_.- in Parameter Store';
  }
  // A config secret named `/x` would be `//x`: a hierarchy has no empty level.
  if (/\/\/|\/$/.test(parameterName)) {
    return 'may have no empty level ("//", a trailing "/") in Parameter Store';
  }
  if (/^\/?(aws|ssm)/i.test(parameterName)) {
    return 'may not start with "aws" or "ssm" in Parameter Store';
  }
  if (parameterName.split('/').filter((part) => part !== '').length > MAX_PARAMETER_DEPTH) {
    return `may be at most ${MAX_PARAMETER_DEPTH} levels deep in Parameter Store`;
  }
  if (parameterName.length > MAX_PARAMETER_NAME_LENGTH) {
    return `may be at most ${MAX_PARAMETER_NAME_LENGTH} characters in Parameter Store`;
  }
  return undefined;
};
