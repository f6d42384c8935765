import type { CallhookConfig } from '../../shared/config/schema.ts';
import { SECRET_STORES, type SecretStoreKind } from '../../shared/secrets/secret-stores.ts';
import { stackNames } from '../aws/stage-names.ts';
import { type Check, failed, note, ok } from './check.ts';
import type { DoctorPorts, StackFacts } from './ports.ts';
import { probeChecks } from './probe-checks.ts';
import {
  checkKeysCopied,
  checkParameter,
  checkSecret,
  putValueCommand,
  type SecretToCheck,
  secretsToCheck,
} from './secret-checks.ts';

export interface DoctorInput {
  config: CallhookConfig;
  /** Where the config came from, for the commands the report suggests. */
  configFile: string;
  stage?: string | undefined;
  /**
   * Where the config's secrets are kept when the stateless stack does not say (its `SecretStore`
   * output, made only with `parameter-store`): `callhook:secretStore` in `cdk.json`.
   */
  secretStore?: SecretStoreKind | undefined;
}

export interface DoctorReport {
  stacks: { stateful: string; stateless: string };
  checks: Check[];
}

/** States a stack can be in with its last deploy done and applied. */
const SETTLED = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'IMPORT_COMPLETE']);

const stackCheck = (name: string, facts: StackFacts | undefined, deploy: string): Check => {
  const subject = `stack ${name}`;
  if (facts === undefined) {
    return failed(subject, 'does not exist in this account and region', deploy);
  }
  if (SETTLED.has(facts.status)) return ok(subject, facts.status);
  if (facts.status.endsWith('_IN_PROGRESS')) {
    return failed(subject, facts.status, 'wait until it settles, then run the doctor again');
  }
  const why = facts.status.includes('ROLLBACK')
    ? ': its last deploy failed and was rolled back'
    : facts.status.startsWith('DELETE')
      ? ': it is deleted or being deleted'
      : '';
  return failed(
    subject,
    `${facts.status}${why}`,
    `read the stack's events in CloudFormation, then: ${deploy}`,
  );
};

/** `EgressIp1`, `EgressIp2`, … in their order. */
const egressIpsOf = (outputs: Record<string, string>): string[] =>
  Object.entries(outputs)
    .filter(([key]) => /^EgressIp\d+$/.test(key))
    .sort(([a], [b]) => Number(a.slice(8)) - Number(b.slice(8)))
    .map(([, ip]) => ip);

const described = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/** GET <ApiUrl>/health: the API is deployed and answers from the internet. */
const apiCheck = async (ports: DoctorPorts, apiUrl: string | undefined): Promise<Check> => {
  if (apiUrl === undefined) {
    return failed('API', 'the stack has no ApiUrl output', 'deploy the stateless stack');
  }
  const url = `${apiUrl.replace(/\/+$/, '')}/health`;
  try {
    const reply = await ports.http.get(url);
    return reply.status === 200
      ? ok('API', `${apiUrl} answers GET /health`)
      : failed(
          'API',
          `GET ${url} answered HTTP ${reply.status}`,
          "read the health function's logs",
        );
  } catch (error) {
    return failed(
      'API',
      `GET ${url} failed: ${described(error)}`,
      'check your network, then the API',
    );
  }
};

/**
 * Every check of a deployment, in the order an operator fixes them: the stacks, what they
 * output, the secrets, then the probe from inside the VPC. Reading the stacks failing (no
 * credentials, no region) is thrown; every later failure is a failed check of its own.
 */
export const runDoctor = async (ports: DoctorPorts, input: DoctorInput): Promise<DoctorReport> => {
  const names = stackNames(input.stage);
  const deploy = `npx cdk deploy --all -c callhook:config=${input.configFile}${
    input.stage === undefined ? '' : ` -c callhook:stage=${input.stage}`
  }`;
  const [stateful, stateless] = await Promise.all([
    ports.stacks.describe(names.stateful),
    ports.stacks.describe(names.stateless),
  ]);
  const checks: Check[] = [
    stackCheck(names.stateful, stateful, deploy),
    stackCheck(names.stateless, stateless, deploy),
  ];
  const outputs = stateless?.outputs ?? {};

  const egressIps = egressIpsOf(outputs);
  const fixedAddress = outputs.Egress !== 'none';
  checks.push(
    !fixedAddress
      ? note(
          'egress IPs',
          "none (egress: none): calls leave from AWS Lambda's shared addresses, so each provider account must accept calls from any address",
        )
      : egressIps.length > 0
        ? note('egress IPs', `${egressIps.join(', ')} (the provider must whitelist each one)`)
        : note(
            'egress IPs',
            'not in the outputs: the NAT uses the allocations in eipAllocationIds',
          ),
  );
  checks.push(await apiCheck(ports, outputs.ApiUrl));

  const store =
    SECRET_STORES.find((kind) => kind === outputs.SecretStore) ??
    (stateless === undefined ? input.secretStore : undefined) ??
    'secrets-manager';
  const created = stateful === undefined ? [] : await ports.stacks.createdSecrets(names.stateful);
  const parameterCheck = async (secret: SecretToCheck, parameter: string) => {
    try {
      const facts = await ports.parameters.read(parameter);
      const check = checkParameter(secret, facts);
      if (check.status !== 'ok' || !secret.keepsGenerated || facts.state !== 'present')
        return check;
      // The secret it was copied from, where it is still kept: unreadable, nothing to compare.
      const copiedFrom = await ports.secrets.read(secret.secretId).catch(() => undefined);
      return checkKeysCopied({ ...secret, parameter }, facts.value, copiedFrom) ?? check;
    } catch (error) {
      return failed(
        `parameter ${parameter}`,
        `could not be read: ${described(error)}`,
        'the doctor needs ssm:GetParameter on it (and kms:Decrypt, which the aws/ssm key allows every principal of the account)',
      );
    }
  };
  const secrets = secretsToCheck(input.config, input.stage, store);
  for (const secret of secrets) {
    if (secret.parameter !== undefined) {
      checks.push(await parameterCheck(secret, secret.parameter));
      continue;
    }
    try {
      const facts = await ports.secrets.read(secret.secretId);
      checks.push(checkSecret(secret, facts, (arn) => created.includes(arn)));
    } catch (error) {
      checks.push(
        failed(
          `secret ${secret.secretId}`,
          `could not be read: ${described(error)}`,
          'the doctor needs secretsmanager:DescribeSecret and GetSecretValue on it',
        ),
      );
    }
  }

  // Moving to Parameter Store (cdk.json says so, the deployed functions still read Secrets
  // Manager): its first deploy switches every function at once, and a parameter missing then
  // fails each call that needs it for good. Check them now, beside what is read today.
  if (
    stateless !== undefined &&
    store === 'secrets-manager' &&
    input.secretStore === 'parameter-store'
  ) {
    checks.push(
      note(
        'secretStore',
        'cdk.json says parameter-store, the deployed functions still read Secrets Manager: the parameters they will read are checked too',
      ),
    );
    for (const secret of secretsToCheck(input.config, input.stage, 'parameter-store')) {
      if (secret.parameter !== undefined) {
        checks.push(await parameterCheck(secret, secret.parameter));
      }
    }
  }

  const probe = outputs.ProbeFunctionName;
  if (probe === undefined) {
    checks.push(failed('probe', 'the stack has no ProbeFunctionName output', deploy));
  } else {
    try {
      const invocation = await ports.probe.invoke(probe);
      checks.push(
        ...probeChecks({
          config: input.config,
          configFile: input.configFile,
          invocation,
          egressIps,
          fixedAddress,
          secretIdOf: (name) => {
            const secret = secrets.find((s) => s.name === name);
            return secret?.parameter ?? secret?.secretId ?? name;
          },
          putCommandOf: (name, value) =>
            putValueCommand(secrets.find((s) => s.name === name) ?? { secretId: name }, value),
        }),
      );
    } catch (error) {
      checks.push(
        failed(
          'probe',
          `${probe} could not be invoked: ${described(error)}`,
          'the doctor needs lambda:InvokeFunction on it',
        ),
      );
    }
  }
  return { stacks: names, checks };
};
