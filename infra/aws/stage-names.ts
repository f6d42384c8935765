import { TABLES, type TableKey } from '../../shared/adapters/dynamodb/tables.ts';
import { MAX_PARAMETER_NAME_LENGTH, parameterNameOf } from '../../shared/secrets/secret-stores.ts';

/**
 * Every name a deployment gives its resources, in one place, so the CDK app, `npm run doctor`,
 * the functions and the docs agree on them. Without a stage (`-c callhook:stage`) each name is
 * today's, so an existing deployment does not move; with one, each is `<stage>--<today's>`.
 *
 * The separator is two hyphens, which a stage cannot contain (nor end with a hyphen): the first
 * `--` of a name ends its stage, so `a` with `b-x` and `a-b` with `x` never give one name.
 * Resources CloudFormation names (queues, alarms, log groups, functions, roles, the topic) take
 * their stack's name as the start of theirs, so the stage is in those too.
 */
export const STAGE_SEPARATOR = '--';

/** Lowercase letters, digits and single hyphens between them, starting with a letter. */
export const STAGE_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** A config's secret names are at most this long (`shared/secrets/secret-name.ts`). */
const LONGEST_SECRET_NAME = 256;

/**
 * The names callhook sets itself, each with its longest unstaged value and its service's limit:
 * the longest stage must fit them all. (The ones CloudFormation generates it shortens itself.)
 */
export const EXPLICIT_NAMES = [
  { what: 'CloudFormation stack name', longest: 'CallhookStateless'.length, limit: 128 },
  { what: 'DynamoDB table name', longest: 'callhook-contacts'.length, limit: 255 },
  { what: 'Secrets Manager secret name', longest: LONGEST_SECRET_NAME, limit: 512 },
  {
    what: 'SSM parameter name',
    longest: parameterNameOf('x'.repeat(LONGEST_SECRET_NAME)).length,
    limit: MAX_PARAMETER_NAME_LENGTH,
  },
  { what: 'CloudWatch dashboard name', longest: 'callhook'.length, limit: 255 },
  { what: 'API Gateway API name', longest: 'BrowserApi'.length, limit: 128 },
  { what: 'AWS WAF web ACL name', longest: 'callhook-browser'.length, limit: 128 },
  {
    what: 'AWS WAF metric name',
    longest: 'AWSManagedRulesAmazonIpReputationList'.length,
    limit: 255,
  },
  { what: 'SNS topic display name', longest: 'callhook alarms'.length, limit: 100 },
  { what: 'EC2 Name tag', longest: 'callhook-egress-2'.length, limit: 256 },
] as const;

/** The longest stage every explicit name still fits with: the tightest limit decides. */
export const MAX_STAGE_LENGTH = Math.min(
  ...EXPLICIT_NAMES.map((name) => name.limit - name.longest - STAGE_SEPARATOR.length),
);

/** Today's name without a stage, `<stage>--<name>` with one. */
export const stagedName = (name: string, stage?: string): string =>
  stage === undefined ? name : `${stage}${STAGE_SEPARATOR}${name}`;

/** The names a deployment's stacks have. */
export const stackNames = (stage?: string) => ({
  stateful: stagedName('CallhookStateful', stage),
  stateless: stagedName('CallhookStateless', stage),
});

/**
 * What a secret's name in Secrets Manager starts with: the functions read the config's names
 * with it in front (`SECRET_NAME_PREFIX_ENV`), so the compiled config stays the same.
 */
export const secretNamePrefix = (stage?: string): string => stagedName('', stage);

/** The Secrets Manager name of a secret the config (or callhook) names `name`. */
export const stagedSecretName = (name: string, stage?: string): string =>
  `${secretNamePrefix(stage)}${name}`;

/**
 * The SSM parameter a secret the config names is kept in with `secretStore=parameter-store`:
 * `/` and its Secrets Manager name (`parameterNameOf`).
 */
export const stagedParameterName = (name: string, stage?: string): string =>
  parameterNameOf(stagedSecretName(name, stage));

/** The DynamoDB table's name. */
export const stagedTableName = (key: TableKey, stage?: string): string =>
  stagedName(TABLES[key].defaultName, stage);

/** The one dashboard's name. */
export const dashboardName = (stage?: string): string => stagedName('callhook', stage);
