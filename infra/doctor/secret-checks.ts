import type { CallhookConfig } from '../../shared/config/schema.ts';
import { secretRequirements } from '../../shared/config/secret-requirements.ts';
import {
  GENERATED_FIELD,
  GENERATED_LENGTH,
  OWN_KEYS,
  OWN_KEYS_SECRET,
  type OwnKey,
  ownKeyIn,
} from '../../shared/secrets/own-keys.ts';
import { type SecretShape, SHAPE_CHECKS } from '../../shared/secrets/secret-shapes.ts';
import type { SecretStoreKind } from '../../shared/secrets/secret-stores.ts';
import { stagedParameterName, stagedSecretName } from '../aws/stage-names.ts';
import { type Check, failed, ok } from './check.ts';
import type { ParameterFacts, SecretFacts } from './ports.ts';

/** One secret the deployment holds, with every shape its readers need and where it is named. */
export interface SecretToCheck {
  /** As the config (or callhook) names it. */
  name: string;
  /** As Secrets Manager holds it: the name under the deployment's stage. */
  secretId: string;
  /**
   * With `secretStore=parameter-store`, the SSM parameter it is kept in instead (`/` and
   * `secretId`), `callhook/keys` included.
   */
  parameter?: string;
  shapes: SecretShape[];
  namedAt: string[];
  /** Its generated value is the one it keeps (the keys secret). */
  keepsGenerated: boolean;
}

/** The value each shape takes in `put-secret-value`, as the operator would write it. */
const EXAMPLE_VALUES: Record<SecretShape, string> = {
  'callapi-credentials': '{"access_token": "<the Call API key>"}',
  'dataapi-key': '{"access_token": "<the Data API key>"}',
  token: '<the token>',
  'signing-key': '<the signing key>',
  'standard-webhooks-key': 'whsec_<the base64 key>',
  'hash-key': '<16 or more random characters>',
  'own-keys':
    '{"admin_key": "<the admin key>", "contact_hash_key": "<16 or more random characters>"}',
};

/**
 * Every secret the stateful stack creates: those the config names (`secretRequirements`), each
 * once with all its uses, and the one holding the keys callhook makes for itself.
 */
export const secretsToCheck = (
  config: CallhookConfig,
  stage?: string,
  store: SecretStoreKind = 'secrets-manager',
): SecretToCheck[] => {
  const byName = new Map<string, SecretToCheck>();
  const add = (name: string, shape: SecretShape, namedAt: string, keepsGenerated: boolean) => {
    const entry = byName.get(name) ?? {
      name,
      secretId: stagedSecretName(name, stage),
      ...(store === 'parameter-store' && { parameter: stagedParameterName(name, stage) }),
      shapes: [],
      namedAt: [],
      keepsGenerated,
    };
    if (!entry.shapes.includes(shape)) entry.shapes.push(shape);
    entry.namedAt.push(namedAt);
    byName.set(name, entry);
  };
  for (const need of secretRequirements(config)) add(need.name, need.shape, need.namedAt, false);
  const keys = (Object.keys(OWN_KEYS) as OwnKey[]).map((key) => OWN_KEYS[key].purpose);
  add(OWN_KEYS_SECRET, 'own-keys', keys.join(', '), true);
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
};

/** The command that puts `value` where the secret is kept; `overwrite` for a parameter that exists. */
export const putValueCommand = (
  secret: Pick<SecretToCheck, 'secretId' | 'parameter'>,
  value: string,
  overwrite = true,
): string =>
  secret.parameter === undefined
    ? `aws secretsmanager put-secret-value --secret-id ${secret.secretId} --secret-string '${value}'`
    : `aws ssm put-parameter --type SecureString --name ${secret.parameter}${overwrite ? ' --overwrite' : ''} --value '${value}'`;

const exampleOf = (secret: SecretToCheck) => EXAMPLE_VALUES[secret.shapes[0] ?? 'token'];
const putCommand = (secret: SecretToCheck): string => putValueCommand(secret, exampleOf(secret));

/**
 * What one secret's facts say. A secret the stack created and nobody has put a value in since
 * has one version: the placeholder CloudFormation generated (`new Secret` without a value
 * generates a random 32-character password). Its shape is checked as its readers check it.
 */
export const checkSecret = (
  secret: SecretToCheck,
  facts: SecretFacts,
  createdByStack: (arn: string) => boolean,
): Check => {
  const subject = `secret ${secret.secretId}`;
  const where = `(${secret.namedAt.join(', ')})`;
  if (facts.state === 'missing') {
    return failed(
      subject,
      `does not exist ${where}`,
      secret.keepsGenerated
        ? 'deploy the stateful stack, which creates it (with importSecrets=true, create it yourself)'
        : `create it (importSecrets=true) or deploy the stateful stack, then: ${putCommand(secret)}`,
    );
  }
  if (facts.state === 'scheduled_for_deletion') {
    return failed(
      subject,
      `is scheduled for deletion ${where}`,
      `aws secretsmanager restore-secret --secret-id ${secret.secretId}`,
    );
  }
  if (!secret.keepsGenerated && facts.versions === 1 && createdByStack(facts.arn)) {
    return failed(
      subject,
      `still holds the placeholder the deploy generated ${where}`,
      putCommand(secret),
    );
  }
  if (facts.value === undefined) {
    return failed(subject, `holds binary data, not text ${where}`, putCommand(secret));
  }
  for (const shape of secret.shapes) {
    const problem = SHAPE_CHECKS[shape](facts.value);
    if (problem !== undefined) return failed(subject, `${problem} ${where}`, putCommand(secret));
  }
  return ok(
    subject,
    secret.keepsGenerated ? `exists ${where}` : `holds a value of the right shape ${where}`,
  );
};

/**
 * What one parameter's facts say (`secretStore=parameter-store`): it exists, is a `SecureString`
 * (a `String` is kept unencrypted, readable by anyone who may describe it), and has the shape its
 * readers need. No placeholder to find: the operator puts each of the config's, and the keys'
 * is generated (`functions/own-keys-parameter`).
 */
export const checkParameter = (secret: SecretToCheck, facts: ParameterFacts): Check => {
  const parameter = secret.parameter ?? secret.secretId;
  const subject = `parameter ${parameter}`;
  const where = `(${secret.namedAt.join(', ')})`;
  if (facts.state === 'missing') {
    return failed(
      subject,
      `does not exist ${where}`,
      secret.keepsGenerated
        ? `moving from Secrets Manager: copy the secret ${secret.secretId} first, so the keys stay the same (docs/deploying-to-aws.md, "Moving an existing deployment"); a new deployment: deploy the stateful stack, which generates it; deleted since (a deploy puts it only when its resource is created): aws ssm put-parameter --type SecureString --name ${parameter} --value "{\\"${GENERATED_FIELD}\\": \\"$(openssl rand -hex ${GENERATED_LENGTH / 2})\\"}", which makes new keys (a new admin key, and the per-number cap counts from zero)`
        : putValueCommand(secret, exampleOf(secret), false),
    );
  }
  if (facts.type !== 'SecureString') {
    return failed(
      subject,
      `is a ${facts.type} parameter, kept unencrypted: it must be a SecureString ${where}`,
      // Parameter Store cannot change a parameter's type in place (HierarchyTypeMismatchException):
      // it is deleted and put again, its value kept in the shell between (the keys' generated
      // value, which nobody knows, most of all), and passed as JSON on a pipe, never `--value`.
      // Warm functions keep the value they read for five minutes.
      `kept="$(aws ssm get-parameter --name ${parameter} --output json --query "{Name: Parameter.Name, Type: 'SecureString', Value: Parameter.Value}")" && aws ssm delete-parameter --name ${parameter} && printf '%s' "$kept" | aws ssm put-parameter --cli-input-json file:///dev/stdin (a function that reads it between the two finds it missing; warm ones keep what they read for 5 minutes)`,
    );
  }
  for (const shape of secret.shapes) {
    const problem = SHAPE_CHECKS[shape](facts.value);
    if (problem !== undefined) return failed(subject, `${problem} ${where}`, putCommand(secret));
  }
  return ok(subject, `is a SecureString of the right shape ${where}`);
};

/**
 * The keys parameter beside a `callhook/keys` secret still in Secrets Manager (a move, or the
 * secret retained after one): their contact hash keys must be one. A deploy with
 * `parameter-store` before the copy (a rolled-back one too: the parameter stays) generates the
 * parameter, and the copy's `put-parameter` then fails on it while the deploy keeps it; every
 * shape is right, and the admin key and the per-number cap's counts are new. The admin key alone
 * may differ: it is rotated in the parameter. Undefined when there is nothing to compare.
 */
export const checkKeysCopied = (
  secret: SecretToCheck & { parameter: string },
  parameterValue: string,
  secretFacts: SecretFacts | undefined,
): Check | undefined => {
  if (secretFacts?.state !== 'present' || secretFacts.value === undefined) return undefined;
  const copied = ownKeyIn(secretFacts.value, 'contact_hash_key');
  const held = ownKeyIn(parameterValue, 'contact_hash_key');
  if (!('value' in copied) || !('value' in held) || copied.value === held.value) return undefined;
  return failed(
    `parameter ${secret.parameter}`,
    `holds another contact hash key than the secret ${secret.secretId}: generated, not copied (the admin key is new too)`,
    `aws secretsmanager get-secret-value --secret-id ${secret.secretId} --output json --query "{Name: '${secret.parameter}', Type: 'SecureString', Value: SecretString}" | aws ssm put-parameter --cli-input-json file:///dev/stdin --overwrite (calls counted since under the new key start again)`,
  );
};
