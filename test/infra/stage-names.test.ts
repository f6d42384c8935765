import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYMENTS } from '../../bench/fixed-cost.ts';
import { DeploySettings, settingsFromContext } from '../../infra/aws/settings.ts';
import {
  MAX_STAGE_LENGTH,
  STAGE_SEPARATOR,
  stackNames,
  stagedName,
  stagedSecretName,
} from '../../infra/aws/stage-names.ts';
import { StatefulStack } from '../../infra/aws/stateful-stack.ts';
import { OWN_KEYS_SECRET } from '../../shared/secrets/own-keys.ts';
import { expectDocumentedFixedCost } from '../support/fixed-cost-doc.ts';
import {
  cdkFeatureFlags,
  exampleConfig,
  type Resources,
  type StackTemplate,
  type Synthesized,
  synthCallhook,
} from './cdk-synth.ts';

/**
 * The services' own limits on the names callhook's resources may set (their documentation),
 * independent of what `stage-names.ts` assumes: a name the stacks set that is not here fails.
 */
const NAME_RULES: Record<string, Record<string, { max: number; chars?: RegExp }>> = {
  'AWS::DynamoDB::GlobalTable': { TableName: { max: 255, chars: /^[A-Za-z0-9_.-]{3,}$/ } },
  'AWS::SecretsManager::Secret': { Name: { max: 512, chars: /^[A-Za-z0-9/_+=.@-]+$/ } },
  'AWS::CloudWatch::Dashboard': { DashboardName: { max: 255, chars: /^[A-Za-z0-9_-]+$/ } },
  'AWS::ApiGatewayV2::Api': { Name: { max: 128 } },
  'AWS::SNS::Topic': { DisplayName: { max: 100 }, TopicName: { max: 256, chars: /^[\w-]+$/ } },
  'AWS::SQS::Queue': { QueueName: { max: 80, chars: /^[\w-]+$/ } },
  'AWS::CloudWatch::Alarm': { AlarmName: { max: 255 } },
  'AWS::Logs::LogGroup': { LogGroupName: { max: 512, chars: /^[.\-_/#A-Za-z0-9]+$/ } },
  'AWS::Lambda::Function': { FunctionName: { max: 64, chars: /^[\w-]+$/ } },
  'AWS::IAM::Role': { RoleName: { max: 64, chars: /^[\w+=,.@-]+$/ } },
  'AWS::Events::Rule': { Name: { max: 64, chars: /^[.\-_A-Za-z0-9]+$/ } },
};
/** `…Name` properties that name nothing in the account: scoped to their parent, or a reference. */
const NOT_NAMES = new Set(['PolicyName', 'StageName', 'MetricName', 'ServiceName']);
const TAG_VALUE_MAX = 256;
const STACK_NAME = { max: 128, chars: /^[A-Za-z][A-Za-z0-9-]*$/ };

interface Name {
  where: string;
  value: string;
  rule: { max: number; chars?: RegExp };
}

/** Every name the templates set (stacks included), with the limit its service puts on it. */
const namesOf = (synthesized: Synthesized): Name[] => {
  const names: Name[] = Object.keys(synthesized.templates).map((stack) => ({
    where: 'stack name',
    value: stack,
    rule: STACK_NAME,
  }));
  for (const [stack, template] of Object.entries(synthesized.templates)) {
    for (const [id, resource] of Object.entries(template.Resources)) {
      const where = `${stack}/${id} (${resource.Type})`;
      for (const [property, value] of Object.entries(resource.Properties ?? {})) {
        if (typeof value !== 'string' || NOT_NAMES.has(property)) continue;
        if (!property.endsWith('Name')) continue;
        const rule = NAME_RULES[resource.Type]?.[property];
        if (rule === undefined)
          throw new Error(`${where} sets ${property}, a name with no rule here`);
        names.push({ where: `${where}.${property}`, value, rule });
      }
      const tags = resource.Properties?.Tags;
      const tag = Array.isArray(tags)
        ? (tags as { Key: string; Value: unknown }[]).find((t) => t.Key === 'Name')
        : undefined;
      if (typeof tag?.Value === 'string') {
        names.push({ where: `${where} Name tag`, value: tag.Value, rule: { max: TAG_VALUE_MAX } });
      }
    }
  }
  return names;
};

/** The default deployment as the code before stages synthesized it (see the fixture's `about`). */
const fixture = JSON.parse(readFileSync('test/fixtures/default-stage-resources.json', 'utf8')) as {
  stacks: Record<string, Record<string, { type: string; names?: Record<string, string> }>>;
};

/**
 * Resources of the fixture taken out on purpose, each with why. CloudFormation keeps a removed
 * secret (RETAIN), so nothing they hold is lost.
 */
const RETIRED: Record<string, Record<string, string>> = {
  CallhookStateful: {
    SecretcallhookadminkeyE2A5CB33: 'callhook/keys holds the admin key (CHANGELOG)',
    Secretcallhookcontacthashkey6D72ED16: 'callhook/keys holds the contact hash key (CHANGELOG)',
  },
};

/** A resource's names the way the fixture records them. */
const recordedNames = (resource: Resources[string]): Record<string, string> => {
  const names: Record<string, string> = {};
  for (const [key, value] of Object.entries(resource.Properties ?? {})) {
    if (key.endsWith('Name') && typeof value === 'string') names[key] = value;
  }
  const tags = resource.Properties?.Tags;
  const tag = Array.isArray(tags)
    ? (tags as { Key: string; Value: unknown }[]).find((t) => t.Key === 'Name')
    : undefined;
  if (typeof tag?.Value === 'string') names['Tags.Name'] = tag.Value;
  return names;
};

/** The longest stage the settings accept. */
const LONGEST_STAGE = `s${'1'.repeat(MAX_STAGE_LENGTH - 1)}`;

describe('Stages: names that let deployments share an account and region', () => {
  let byDefault: Synthesized;
  let staging: Synthesized;
  let prod: Synthesized;
  beforeAll(() => {
    byDefault = synthCallhook();
    // Without a VPC (the prod stage has one): its names, and the fixed-cost table's `none`
    // column, which a stage does not change (a test below holds it to these templates).
    staging = synthCallhook({ settings: { ...DEPLOYMENTS.none.settings, stage: 'staging' } });
    prod = synthCallhook({ settings: { stage: 'prod', egress: 'nat-instance' } });
  }, 180_000);

  it('keeps every resource of the default deployment, by logical id, type and name, as it was before stages', () => {
    expect(Object.keys(byDefault.templates).sort()).toEqual(Object.keys(fixture.stacks).sort());
    for (const [stack, resources] of Object.entries(fixture.stacks)) {
      const now = byDefault.templates[stack]?.Resources ?? {};
      for (const [id, before] of Object.entries(resources)) {
        const resource = now[id];
        if (RETIRED[stack]?.[id] !== undefined) {
          expect(resource, `${stack}/${id}: ${RETIRED[stack]?.[id]}`).toBeUndefined();
          continue;
        }
        expect(resource?.Type, `${stack}/${id}`).toBe(before.type);
        if (resource === undefined) continue;
        expect(recordedNames(resource), `${stack}/${id}`).toEqual(before.names ?? {});
      }
    }
  });

  it('keeps the retired key secrets as they were, and the exports the stateless stack of before reads, while keepOldKeySecrets upgrades', () => {
    const app = new App({ context: cdkFeatureFlags() });
    const stack = new StatefulStack(app, 'CallhookStateful', {
      config: exampleConfig(),
      settings: DeploySettings.parse({ keepOldKeySecrets: true }),
    });
    const template = Template.fromStack(stack).toJSON() as StackTemplate;
    for (const [id, why] of Object.entries(RETIRED.CallhookStateful ?? {})) {
      const before = fixture.stacks.CallhookStateful?.[id];
      const resource = template.Resources[id];
      expect(resource?.Type, why).toBe(before?.type);
      if (resource !== undefined) expect(recordedNames(resource)).toEqual(before?.names);
      expect(resource?.DeletionPolicy).toBe('Retain');
    }
    // The names the stateless stack of before imports (its Fn::ImportValue), as CDK made them.
    const exports = Object.values(template.Outputs ?? {}).map(
      (output) => (output as { Export?: { Name: string } }).Export?.Name,
    );
    expect(exports.sort()).toEqual([
      'CallhookStateful:ExportsOutputRefSecretcallhookadminkeyE2A5CB336BDD3636',
      'CallhookStateful:ExportsOutputRefSecretcallhookcontacthashkey6D72ED161D2EA1CA',
    ]);
  });

  it('starts every name a staged deployment sets with its stage and the separator', () => {
    for (const [stage, synthesized] of [
      ['staging', staging],
      ['prod', prod],
    ] as const) {
      const names = namesOf(synthesized);
      // Staging has no VPC, so fewer names; prod's VPC, subnets and addresses are named too.
      expect(names.length).toBeGreaterThan(stage === 'staging' ? 10 : 20);
      for (const name of names) {
        expect(name.value.startsWith(`${stage}${STAGE_SEPARATOR}`), name.where).toBe(true);
      }
    }
  });

  it('gives two stages, and the default, names no two of them share', () => {
    const values = (synthesized: Synthesized) => new Set(namesOf(synthesized).map((n) => n.value));
    const [a, b, none] = [values(staging), values(prod), values(byDefault)];
    expect([...a].filter((name) => b.has(name) || none.has(name))).toEqual([]);
    expect([...b].filter((name) => none.has(name))).toEqual([]);
    // The resources CloudFormation names take their stack's name, which the stage starts.
    expect(staging.stackNames).toEqual({
      stateful: 'staging--CallhookStateful',
      stateless: 'staging--CallhookStateless',
    });
  });

  it('costs at rest what docs/deploying-to-aws.md says without a fixed address (`none`)', () => {
    const routes = Object.keys(exampleConfig().routes).length;
    const priced = expectDocumentedFixedCost('none', Object.values(staging.templates), routes);
    expect(priced.items.natGateways + priced.items.natInstances + priced.items.publicIpv4).toBe(0);
  });

  it('keeps every name within its service limits with the longest stage and the longest secret name', () => {
    const config = exampleConfig();
    const [account] = Object.values(config.accounts);
    if (account === undefined) throw new Error('the example has no account');
    // The longest name a config may give a secret.
    account.secret = `callhook/${'k'.repeat(256 - 'callhook/'.length)}`;
    const longest = synthCallhook({
      config,
      settings: { stage: LONGEST_STAGE, egress: 'nat-instance', natGateways: 2 },
    });
    const names = namesOf(longest);
    for (const name of names) {
      expect(name.value.length, name.where).toBeLessThanOrEqual(name.rule.max);
      if (name.rule.chars !== undefined) expect(name.value, name.where).toMatch(name.rule.chars);
    }
    // The limit is the tightest one, not an arbitrary lower number: some name is at its maximum.
    expect(names.some((name) => name.value.length === name.rule.max)).toBe(true);
    expect(names.map((n) => n.value)).toContain(stagedSecretName(account.secret, LONGEST_STAGE));
  }, 120_000);

  it('reads each secret in every function under the name the stateful stack stores it by', () => {
    const statefulOf = (s: Synthesized) => s.templates[s.stackNames.stateful]?.Resources ?? {};
    const secretNames = (s: Synthesized) =>
      Object.values(statefulOf(s))
        .filter((r) => r.Type === 'AWS::SecretsManager::Secret')
        .map((r) => r.Properties?.Name as string)
        .sort();
    const prefix = `staging${STAGE_SEPARATOR}`;
    expect(secretNames(staging)).toEqual(secretNames(byDefault).map((name) => `${prefix}${name}`));

    const functionsOf = (s: Synthesized) =>
      Object.values(s.templates[s.stackNames.stateless]?.Resources ?? {}).filter(
        (r) => r.Type === 'AWS::Lambda::Function',
      );
    const prefixOf = (fn: Resources[string]) =>
      (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables
        ?.CALLHOOK_SECRET_NAME_PREFIX;
    expect(functionsOf(staging).length).toBeGreaterThanOrEqual(8);
    for (const fn of functionsOf(staging)) expect(prefixOf(fn)).toBe(prefix);
    // Without a stage, the functions' environments are as they were.
    for (const fn of functionsOf(byDefault)) expect(prefixOf(fn)).toBeUndefined();
  });
});

describe('Stage names', () => {
  const stage = fc
    .stringMatching(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/)
    .filter((s) => s.length <= MAX_STAGE_LENGTH);
  const secretName = fc.stringMatching(/^[A-Za-z0-9/_+=.@-]{1,256}$/);

  it('never gives two different stages, or two names, one staged name', () => {
    fc.assert(
      fc.property(stage, stage, secretName, secretName, (s1, s2, n1, n2) => {
        fc.pre(s1 !== s2 || n1 !== n2);
        expect(stagedName(n1, s1)).not.toBe(stagedName(n2, s2));
      }),
      { numRuns: 2000 },
    );
    // The case a single hyphen would get wrong: a stage may hold one.
    expect(stagedName('b-x', 'a')).not.toBe(stagedName('x', 'a-b'));
  });

  it('never meets a default name callhook fixes, whatever the stage', () => {
    const defaults = [
      ...Object.values(stackNames()),
      'callhook-calls',
      'callhook-contacts',
      'callhook-limits',
      'callhook',
      OWN_KEYS_SECRET,
    ];
    fc.assert(
      fc.property(stage, fc.constantFrom(...defaults), (s, name) => {
        expect(defaults).not.toContain(stagedName(name, s));
      }),
    );
  });

  const context = (value: unknown) => (key: string) =>
    key === 'callhook:stage' ? value : undefined;

  it.each(['a', 'staging', 'prod-2', 'eu-central-1', LONGEST_STAGE])(
    'accepts the stage %s',
    (s) => {
      expect(settingsFromContext(context(s)).stage).toBe(s);
    },
  );

  it.each([
    ['two hyphens in a row (the separator)', 'a--b'],
    ['a trailing hyphen', 'a-'],
    ['a leading hyphen', '-a'],
    ['a leading digit', '1a'],
    ['a capital', 'Staging'],
    ['an underscore', 'a_b'],
    ['a slash', 'a/b'],
    ['nothing', ''],
    ['one character too many', `${LONGEST_STAGE}x`],
  ])('refuses a stage with %s, naming the setting', (_, s) => {
    expect(() => settingsFromContext(context(s))).toThrow(/callhook:stage: expected/);
  });

  it('leaves the stage out unless given', () => {
    expect(settingsFromContext(() => undefined).stage).toBeUndefined();
    expect(stackNames()).toEqual({ stateful: 'CallhookStateful', stateless: 'CallhookStateless' });
  });
});
