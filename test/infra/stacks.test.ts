import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYMENTS, withExampleForm } from '../../bench/fixed-cost.ts';
import { BROWSER_API_GUARDED_ENV } from '../../functions/http/api-event.ts';
import { buildCallhookApp } from '../../infra/aws/callhook-app.ts';
import { BrowserApi } from '../../infra/aws/constructs/browser-api.ts';
import { secretNeeds } from '../../infra/aws/secret-needs.ts';
import { DeploySettings, settingsFromContext } from '../../infra/aws/settings.ts';
import { parseConfigText } from '../../shared/config/load.ts';
import { SECRET_STORE_ENV } from '../../shared/secrets/secret-stores.ts';
import { docText, documentedAlarms } from '../support/doc-text.ts';
import { expectDocumentedFixedCost } from '../support/fixed-cost-doc.ts';
import { cdkFeatureFlags, synthCallhook } from './cdk-synth.ts';

const EXAMPLE = 'infra/aws/example.config.json';
const exampleText = readFileSync(EXAMPLE, 'utf8');

/** Synthesizes the app (bundling every function with esbuild, running cdk-nag) offline. */
const synth = () => {
  // The flags cdk.json sets, so CloudFormation's schema check refuses a property its type lacks.
  const app = new App({ context: cdkFeatureFlags() });
  const built = buildCallhookApp({
    app,
    config: parseConfigText(exampleText, 'test'),
    settings: DeploySettings.parse({}),
  });
  // Throws when cdk-nag reports a finding that is not acknowledged.
  const assembly = app.synth();
  return {
    assemblyDir: assembly.directory,
    stateful: Template.fromStack(built.stateful),
    stateless: Template.fromStack(built.stateless),
  };
};

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** Whether a bundle holds a fragment of compiled JSON text, its quotes escaped or not. */
const carriesJson = (bundle: string, fragment: string) =>
  bundle.includes(fragment) || bundle.includes(fragment.replaceAll('"', '\\"'));
const resourcesOf = (template: Template, type: string): Resources =>
  template.findResources(type) as Resources;

/** The logical id of the function built from `functions/<name>`. */
const functionId = (template: Template, name: string): string => {
  const [id] = Object.keys(resourcesOf(template, 'AWS::Lambda::Function')).filter((key) =>
    key.startsWith(`${name.replace('-', '')}Function`),
  );
  if (id === undefined) throw new Error(`no function ${name}`);
  return id;
};

describe('The AWS deployment (synthesized offline, checked by cdk-nag)', () => {
  let stateful: Template;
  let stateless: Template;
  let assemblyDir: string;
  beforeAll(() => {
    ({ stateful, stateless, assemblyDir } = synth());
  }, 120_000);

  /** The asset folder holding a function's bundle, from its `Code.S3Key` (`<hash>.zip`). */
  const assetOf = (fn: Record<string, unknown> | undefined): string => {
    if (fn === undefined) throw new Error('no such function');
    const key = (fn.Code as { S3Key: string }).S3Key;
    return `asset.${key.replace(/\.zip$/, '')}`;
  };

  it('runs every function on nodejs24.x, arm64, with a log group that expires', () => {
    const functions = Object.values(resourcesOf(stateless, 'AWS::Lambda::Function'));
    expect(functions).toHaveLength(11);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
    }
    for (const group of Object.values(resourcesOf(stateless, 'AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays).toBe(30);
    }
  });

  it('puts the functions that call the Call API in private subnets that leave through NAT with the stateful EIPs', () => {
    const functions = resourcesOf(stateless, 'AWS::Lambda::Function');
    const privateSubnets = Object.entries(resourcesOf(stateless, 'AWS::EC2::Subnet'))
      .filter(([, subnet]) => subnet.Properties.MapPublicIpOnLaunch === false)
      .map(([id]) => id);
    for (const name of ['dispatch', 'sweeper', 'calls', 'probe']) {
      const config = functions[functionId(stateless, name)]?.Properties.VpcConfig as {
        SubnetIds: { Ref: string }[];
      };
      expect(config.SubnetIds.map((ref) => ref.Ref).sort()).toEqual(privateSubnets.sort());
    }
    for (const name of ['ingest', 'events', 'callbacks', 'console']) {
      expect(functions[functionId(stateless, name)]?.Properties.VpcConfig).toBeUndefined();
    }
    // Each private subnet's default route goes to a NAT gateway…
    const routes = Object.values(resourcesOf(stateless, 'AWS::EC2::Route')).filter(
      (route) => route.Properties.NatGatewayId !== undefined,
    );
    expect(routes).toHaveLength(privateSubnets.length);
    // …which holds an Elastic IP allocated in the stateful stack, so it survives this one.
    const nats = Object.values(resourcesOf(stateless, 'AWS::EC2::NatGateway'));
    expect(nats).toHaveLength(1);
    expect(JSON.stringify(nats[0]?.Properties.AllocationId)).toContain('EgressIp1');
    stateful.resourceCountIs('AWS::EC2::EIP', 1);
    stateful.hasResource('AWS::EC2::EIP', { DeletionPolicy: 'Retain' });
    stateless.hasOutput('EgressIp1', {});
  });

  it('keeps table traffic off the NAT with a gateway endpoint, and logs the VPC flows', () => {
    stateless.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: Match.objectLike({
        'Fn::Join': Match.arrayWith([Match.arrayWith(['.dynamodb'])]),
      }),
    });
    stateless.resourceCountIs('AWS::EC2::FlowLog', 1);
  });

  it('scopes every IAM statement to named resources, except the X-Ray actions that allow none', () => {
    const policies = Object.values(resourcesOf(stateless, 'AWS::IAM::Policy'));
    expect(policies.length).toBeGreaterThan(0);
    for (const policy of policies) {
      const document = policy.Properties.PolicyDocument as {
        Statement: { Action: string | string[]; Resource: unknown }[];
      };
      for (const statement of document.Statement) {
        const actions = [statement.Action].flat();
        if (statement.Resource === '*') {
          expect(actions.every((action) => action.startsWith('xray:'))).toBe(true);
        }
        expect(actions.some((action) => action.endsWith(':*'))).toBe(false);
      }
    }
  });

  it('gives the doctor a probe in the VPC that reads only the account secrets, knows the egress IPs, and is named in an output', () => {
    const id = functionId(stateless, 'probe');
    const probe = resourcesOf(stateless, 'AWS::Lambda::Function')[id];
    if (probe === undefined) throw new Error('no probe function');
    const variables = (probe.Properties.Environment as { Variables: Record<string, unknown> })
      .Variables;
    // No table, no queue: only the egress IPs (from the stateful stack's EIP) beside Powertools'.
    expect(Object.keys(variables).sort()).toEqual(
      ['EGRESS_IPS', 'POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_SERVICE_NAME'].sort(),
    );
    expect(JSON.stringify(variables.EGRESS_IPS)).toContain('EgressIp1');

    const policy = Object.entries(resourcesOf(stateless, 'AWS::IAM::Policy')).find(([key]) =>
      key.startsWith('probeRoleDefaultPolicy'),
    )?.[1];
    if (policy === undefined) throw new Error('no policy for probe');
    const statements = (policy.Properties.PolicyDocument as { Statement: { Action: unknown }[] })
      .Statement;
    const actions = statements.flatMap((statement) => [statement.Action].flat()).sort();
    expect(actions.filter((action) => !String(action).startsWith('xray:'))).toEqual(
      [
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
      ].sort(),
    );
    const secretReads = JSON.stringify(
      statements.filter((s) => JSON.stringify(s).includes('secretsmanager:GetSecretValue')),
    );
    // The example's one account secret, and not its events token, senders' keys or own keys.
    expect(secretReads).toMatch(/Secretcallhookuisaccesskey/);
    expect(secretReads).not.toMatch(/eventstoken|shopify|tilda|statuscallback|callhookkeys/);

    stateless.hasOutput('ProbeFunctionName', { Value: { Ref: id } });
  });

  it('lets each function read only the secrets its routes and accounts need', () => {
    const secretReads = (name: string) => {
      const role = Object.entries(resourcesOf(stateless, 'AWS::IAM::Policy')).find(([id]) =>
        id.startsWith(`${name}RoleDefaultPolicy`),
      )?.[1];
      if (role === undefined) throw new Error(`no policy for ${name}`);
      const statements = (role.Properties.PolicyDocument as { Statement: unknown[] }).Statement;
      return JSON.stringify(
        statements.filter((s) => JSON.stringify(s).includes('secretsmanager:GetSecretValue')),
      );
    };
    expect(secretReads('ingest')).toMatch(/Secretcallhookshopify/);
    expect(secretReads('ingest')).toMatch(/Secretcallhooktildatoken/);
    expect(secretReads('ingest')).not.toMatch(/uisaccesskey/);
    expect(secretReads('dispatch')).toMatch(/Secretcallhookuisaccesskey/);
    expect(secretReads('dispatch')).not.toMatch(/shopify|tilda|admin/);
    expect(secretReads('events')).toMatch(/Secretcallhookuiseventstoken/);
    expect(secretReads('callbacks')).toMatch(/Secretcallhookstatuscallbackkey/);
  });

  it('keeps the keys callhook makes for itself in one generated secret, read only by the functions that use one', () => {
    const secrets = resourcesOf(stateful, 'AWS::SecretsManager::Secret');
    const names = Object.values(secrets).map((secret) => secret.Properties.Name);
    expect(names).not.toContain('callhook/admin-key');
    expect(names).not.toContain('callhook/contact-hash-key');
    // No parameter for them outside secretStore=parameter-store.
    stateful.resourceCountIs('Custom::CallhookOwnKeysParameter', 0);
    const keys = Object.entries(secrets).filter(
      ([, secret]) => secret.Properties.Name === 'callhook/keys',
    );
    expect(keys).toHaveLength(1);
    const [[keysId, keysSecret]] = keys as [[string, Resources[string]]];
    // Secrets Manager generates the one field the keys are sliced from; no value is written.
    expect(keysSecret.Properties.GenerateSecretString).toEqual({
      SecretStringTemplate: '{}',
      GenerateStringKey: 'generated',
      PasswordLength: 64,
      ExcludePunctuation: true,
      IncludeSpace: false,
      RequireEachIncludedType: false,
    });

    // Who may read it: the functions that hash numbers (the per-number cap) or check the
    // admin key, and no other.
    const readers = Object.entries(resourcesOf(stateless, 'AWS::IAM::Policy'))
      .filter(([, policy]) => JSON.stringify(policy.Properties.PolicyDocument).includes(keysId))
      .map(([id]) => id.replace(/RoleDefaultPolicy.*$/, ''))
      .sort();
    expect(readers).toEqual(['calls', 'events', 'ingest', 'sweeper']);
    // The calls function finds it by its name in the code, not by an environment variable.
    const calls = resourcesOf(stateless, 'AWS::Lambda::Function')[functionId(stateless, 'calls')];
    expect(JSON.stringify(calls?.Properties.Environment)).not.toMatch(/ADMIN_KEY/);
  });

  it('lets the callbacks deliverer only update call items in place, to note its deliveries', () => {
    const policy = Object.entries(resourcesOf(stateless, 'AWS::IAM::Policy')).find(([id]) =>
      id.startsWith('callbacksRoleDefaultPolicy'),
    )?.[1];
    if (policy === undefined) throw new Error('no policy for callbacks');
    const statements = (policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement;
    const dynamo = statements.filter((s) => JSON.stringify(s).includes('dynamodb:'));
    expect(dynamo).toHaveLength(1);
    expect(dynamo[0]).toMatchObject({ Action: 'dynamodb:UpdateItem', Effect: 'Allow' });
    expect(JSON.stringify(dynamo[0])).toMatch(/Tablecalls/);
  });

  it('lets the dispatcher and the sweeper share the points budget, and no one else', () => {
    const functions = resourcesOf(stateless, 'AWS::Lambda::Function');
    const limitsTable = (name: string) => {
      const environment = functions[functionId(stateless, name)]?.Properties.Environment as {
        Variables: Record<string, unknown>;
      };
      return environment.Variables.LIMITS_TABLE_NAME;
    };
    const limitsWrites = (name: string) => {
      const policy = Object.entries(resourcesOf(stateless, 'AWS::IAM::Policy')).find(([id]) =>
        id.startsWith(`${name.replace('-', '')}RoleDefaultPolicy`),
      )?.[1];
      if (policy === undefined) throw new Error(`no policy for ${name}`);
      const statements = (policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement;
      return statements.some(
        (s) =>
          JSON.stringify(s).includes('dynamodb:UpdateItem') &&
          /Tablelimits/.test(JSON.stringify(s)),
      );
    };

    // Reconciliation's list.calls spends the same points as the calls dispatch places.
    for (const name of ['dispatch', 'sweeper']) {
      expect(limitsTable(name)).toBeDefined();
      expect(limitsWrites(name)).toBe(true);
    }
    for (const name of ['ingest', 'calls', 'events', 'dead-letter']) {
      expect(limitsTable(name)).toBeUndefined();
      expect(limitsWrites(name)).toBe(false);
    }
  });

  it('gives the tables on-demand billing, point-in-time recovery, deletion protection and TTL', () => {
    const tables = Object.values(resourcesOf(stateful, 'AWS::DynamoDB::GlobalTable'));
    expect(tables).toHaveLength(3);
    for (const table of tables) {
      expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      const replica = (table.Properties.Replicas as Record<string, unknown>[])[0];
      expect(replica).toMatchObject({
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    }
    stateful.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'callhook-calls',
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({ IndexName: 'by-sweep' }),
        Match.objectLike({ IndexName: 'by-session' }),
        Match.objectLike({
          IndexName: 'by-created',
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['route', 'contact_last4'] },
        }),
      ]),
    });
  });

  it('gives each queue a dead-letter queue and encryption, and reports partial batch failures', () => {
    const queues = Object.values(resourcesOf(stateless, 'AWS::SQS::Queue'));
    const withRedrive = queues.filter((queue) => queue.Properties.RedrivePolicy !== undefined);
    expect(withRedrive).toHaveLength(2);
    for (const queue of queues) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    // Every consumer (dispatch, callbacks, dead letters) has only its failed messages redelivered.
    const mappings = Object.values(resourcesOf(stateless, 'AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(3);
    for (const mapping of mappings) {
      expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    }
    // Only the status callbacks wait to share a batch: a call's dispatch never waits.
    const windows = mappings.map((mapping) => mapping.Properties.MaximumBatchingWindowInSeconds);
    expect(windows.filter((window) => window !== undefined)).toEqual([1]);
    stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      MaximumBatchingWindowInSeconds: 1,
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });

  it('serves the HTTP contract with throttling and access logs, sweeps every minute, and alarms', () => {
    for (const route of [
      'POST /hooks/{route}',
      'GET /calls/{call_id}',
      'POST /calls/{call_id}/abandon',
      'POST /events/{account}',
    ]) {
      stateless.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: route });
    }
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
    stateless.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
    stateless.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(
      Object.keys(resourcesOf(stateless, 'AWS::CloudWatch::Alarm')).length,
    ).toBeGreaterThanOrEqual(5);
  });

  it('gives every alarm on a log-derived metric a metric filter publishing that very metric', () => {
    // CloudWatch tells metrics apart by their dimensions: an alarm on a metric without any sees
    // nothing of a filter that publishes it only with a dimension, and never fires.
    const filters = Object.values(resourcesOf(stateless, 'AWS::Logs::MetricFilter')).flatMap(
      (filter) =>
        filter.Properties.MetricTransformations as {
          MetricNamespace: string;
          MetricName: string;
          Dimensions?: unknown[];
        }[],
    );
    const alarms = Object.values(resourcesOf(stateless, 'AWS::CloudWatch::Alarm'))
      .map((alarm) => alarm.Properties)
      .filter((alarm) => alarm.Namespace === 'callhook');

    expect(alarms.map((alarm) => alarm.MetricName).sort()).toEqual(
      ['DataApiFailed', 'DayPointsLow', 'ProviderConfigErrors', 'Unknown'].sort(),
    );
    // The anomaly alarm reads its metric inside a metric-math query.
    const anomaly = Object.values(resourcesOf(stateless, 'AWS::CloudWatch::Alarm'))
      .map(
        (alarm) => alarm.Properties.Metrics as { MetricStat?: { Metric: unknown } }[] | undefined,
      )
      .flatMap((queries) => queries ?? [])
      .flatMap((query) => (query.MetricStat === undefined ? [] : [query.MetricStat.Metric]));
    expect(anomaly).toEqual([{ Namespace: 'callhook', MetricName: 'Skipped' }]);
    alarms.push({ MetricName: 'Skipped' });
    for (const alarm of alarms) {
      expect(alarm.Dimensions).toBeUndefined();
      expect(filters).toContainEqual(
        expect.objectContaining({ MetricNamespace: 'callhook', MetricName: alarm.MetricName }),
      );
      const publishing = filters.filter((filter) => filter.MetricName === alarm.MetricName);
      for (const filter of publishing) expect(filter.Dimensions).toBeUndefined();
    }
  });

  it('counts only log lines its functions write: every message, metric and classification it filters on is in their bundles', () => {
    const functions = Object.values(resourcesOf(stateless, 'AWS::Lambda::Function'));
    const bundleLogging = (logGroup: string): string => {
      const fn = functions.find(
        (f) =>
          (f.Properties.LoggingConfig as { LogGroup?: { Ref: string } } | undefined)?.LogGroup
            ?.Ref === logGroup,
      );
      if (fn === undefined) throw new Error(`no function logs to ${logGroup}`);
      return readFileSync(`${assemblyDir}/${assetOf(fn.Properties)}/index.mjs`, 'utf8');
    };
    const filters = Object.values(resourcesOf(stateless, 'AWS::Logs::MetricFilter'));
    expect(filters.length).toBeGreaterThan(10);
    for (const filter of filters) {
      const pattern = String(filter.Properties.FilterPattern);
      const group = (filter.Properties.LogGroupName as { Ref: string }).Ref;
      const literals = [
        ...pattern.matchAll(/\$\.(?:message|metric|classification) = "([^"]+)"/g),
      ].map((m) => m[1] ?? '');
      expect(literals.length, pattern).toBeGreaterThan(0);
      const bundle = bundleLogging(group);
      // The bundle may quote it either way; the words must be there as a string.
      const logged = (literal: string) =>
        [`'${literal}'`, `"${literal}"`, `\`${literal}\``].some((q) => bundle.includes(q));
      // A pattern of alternatives (`||`) needs one of them logged; any other, all of them.
      const found = pattern.includes('||') ? literals.some(logged) : literals.every(logged);
      expect(found, `${group} never logs what ${pattern} counts`).toBe(true);
    }
  });

  const alarmsOf = (template: Template) =>
    Object.entries(resourcesOf(template, 'AWS::CloudWatch::Alarm')).map(([id, alarm]) => ({
      id,
      ...alarm.Properties,
    })) as { id: string; [key: string]: unknown }[];

  it('notifies one SSL-only SNS topic from every alarm, into ALARM and back to OK', () => {
    stateless.resourceCountIs('AWS::SNS::Topic', 1);
    const [topicId] = Object.keys(resourcesOf(stateless, 'AWS::SNS::Topic'));
    const alarms = alarmsOf(stateless);
    expect(alarms.length).toBeGreaterThanOrEqual(7);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions, alarm.id).toEqual([{ Ref: topicId }]);
      expect(alarm.OKActions, alarm.id).toEqual([{ Ref: topicId }]);
    }
    stateless.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
          }),
        ]),
      },
    });
    stateless.hasOutput('AlarmTopicArn', { Value: { Ref: topicId } });
    // No address given: no subscription.
    stateless.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('alarms on skips above their usual rate and on a sweeper that stopped running', () => {
    const alarms = alarmsOf(stateless);
    const skipped = alarms.find((alarm) => alarm.id.includes('SkippedAboveUsual'));
    expect(skipped).toMatchObject({
      ComparisonOperator: 'GreaterThanUpperThreshold',
      ThresholdMetricId: expect.any(String),
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
    });
    expect(JSON.stringify(skipped?.Metrics)).toContain('ANOMALY_DETECTION_BAND');

    const sweeper = alarms.find((alarm) => alarm.id.includes('SweeperNotRunning'));
    expect(sweeper).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Invocations',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId(stateless, 'sweeper') } }],
    });
    for (const id of ['DeadLetters1', 'DeadLetters2', 'Unknown', 'ProviderConfig']) {
      expect(alarms.some((alarm) => alarm.id.startsWith(`Observability${id}`))).toBe(true);
    }
  });

  it('counts calls per route, and the time from accepted to placed, for the dashboard', () => {
    const filters = Object.values(resourcesOf(stateless, 'AWS::Logs::MetricFilter')).flatMap(
      (filter) =>
        filter.Properties.MetricTransformations as {
          MetricName: string;
          MetricValue: string;
          Dimensions?: { Key: string; Value: string }[];
          Unit?: string;
        }[],
    );
    for (const name of ['Accepted', 'Placed', 'Completed', 'Failed', 'Unknown', 'Skipped']) {
      const byRoute = filters.filter((filter) => filter.MetricName === `${name}ByRoute`);
      expect(byRoute.length, name).toBeGreaterThan(0);
      for (const filter of byRoute) {
        expect(filter.Dimensions).toEqual([{ Key: 'Route', Value: '$.route' }]);
      }
    }
    expect(filters).toContainEqual(
      expect.objectContaining({
        MetricName: 'AcceptedToPlaced',
        MetricValue: '$.accepted_to_placed_ms',
        Unit: 'Milliseconds',
      }),
    );
    expect(filters).toContainEqual(expect.objectContaining({ MetricName: 'Completed' }));

    const [dashboard] = Object.values(resourcesOf(stateless, 'AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    for (const route of Object.keys(parseConfigText(exampleText, 'test').routes)) {
      expect(body).toContain(`\\"Route\\",\\"${route}\\"`);
    }
    expect(body).toContain('AcceptedToPlaced');
    expect(body).toContain('\\"stat\\":\\"p95\\"');
    expect(body).toContain('\\"stat\\":\\"p50\\"');
  });

  it('compiles the parsed config into each function bundle (Lambda environments hold 4 KB)', () => {
    const functions = resourcesOf(stateless, 'AWS::Lambda::Function');
    const ingest = functions[functionId(stateless, 'ingest')]?.Properties;
    expect(JSON.stringify(ingest?.Environment)).not.toContain('CALLHOOK_COMPILED_CONFIG');
    const bundle = readFileSync(`${assemblyDir}/${assetOf(ingest)}/index.mjs`, 'utf8');
    // Names only the example config holds (a secret's name and the callback URL, no values).
    for (const marker of ['callhook/uis-events-token', 'https://shop.example/callhook/status']) {
      expect(bundle.includes(marker)).toBe(true);
    }
    // A setting the example leaves out, as the schema's default filled it in.
    expect(carriesJson(bundle, '"max_message_length":500')).toBe(true);
  });

  it('imports in each bundle only the AWS SDK clients its function uses', () => {
    const functions = resourcesOf(stateless, 'AWS::Lambda::Function');
    const sdkClientsOf = (name: string) => {
      const fn = functions[functionId(stateless, name)]?.Properties;
      const bundle = readFileSync(`${assemblyDir}/${assetOf(fn)}/index.mjs`, 'utf8');
      return [...new Set(bundle.match(/@aws-sdk\/client-[a-z-]+/g))].sort();
    };
    // SSM's client is in every bundle that reads secrets, for secretStore=parameter-store, and
    // loaded only there (`shared/adapters/aws/sdk/ssm.ts`).
    const all = [
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/client-secrets-manager',
      '@aws-sdk/client-sqs',
      '@aws-sdk/client-ssm',
    ];

    expect(sdkClientsOf('ingest')).toEqual(all);
    expect(sdkClientsOf('dispatch')).toEqual(all);
    // The dead-letter consumer reads no secret.
    expect(sdkClientsOf('callbacks')).toEqual(all);
    expect(sdkClientsOf('dead-letter')).toEqual([
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/client-sqs',
    ]);
    expect(sdkClientsOf('health')).toEqual([]);
    expect(sdkClientsOf('console')).toEqual([]);
    expect(sdkClientsOf('probe')).toEqual([
      '@aws-sdk/client-secrets-manager',
      '@aws-sdk/client-ssm',
    ]);
  });

  it('serves the web console from its own bundle: its files compiled in, no table, secret or config', async () => {
    const fn = resourcesOf(stateless, 'AWS::Lambda::Function')[functionId(stateless, 'console')]
      ?.Properties;
    if (fn === undefined) throw new Error('no console function');
    const bundlePath = `${assemblyDir}/${assetOf(fn)}/index.mjs`;
    const { handler } = (await import(pathToFileURL(bundlePath).href)) as {
      handler: (event: unknown, context: unknown) => Promise<Record<string, unknown>>;
    };
    const get = (path: string, asset?: string) =>
      handler(
        {
          routeKey: asset === undefined ? 'GET /console' : 'GET /console/{asset}',
          rawPath: path,
          headers: {},
          ...(asset !== undefined && { pathParameters: { asset } }),
          requestContext: { requestId: 'r', http: { method: 'GET', path } },
        },
        {},
      );

    const page = await get('/console');
    const script = await get('/console/console.js', 'console.js');
    expect(page).toMatchObject({
      statusCode: 200,
      body: readFileSync('console/index.html', 'utf8'),
      headers: expect.objectContaining({ 'content-type': 'text/html; charset=utf-8' }),
    });
    expect(script).toMatchObject({
      statusCode: 200,
      headers: expect.objectContaining({ 'content-type': 'text/javascript; charset=utf-8' }),
    });
    expect(String(script.body)).toContain('Apply filters');
    expect(fn.MemorySize).toBe(128);
    expect(Object.keys((fn.Environment as { Variables: object }).Variables).sort()).toEqual([
      'POWERTOOLS_LOG_LEVEL',
      'POWERTOOLS_SERVICE_NAME',
    ]);
    expect(readFileSync(bundlePath, 'utf8')).not.toContain('callhook/uis-events-token');
    const routeKeys = Object.values(resourcesOf(stateless, 'AWS::ApiGatewayV2::Route')).map(
      (route) => route.Properties.RouteKey,
    );
    expect(routeKeys).toEqual(expect.arrayContaining(['GET /console', 'GET /console/{asset}']));
  });

  it("carries only the numbering plans of the config's countries in the ingest bundle", () => {
    const functions = resourcesOf(stateless, 'AWS::Lambda::Function');
    const ingest = functions[functionId(stateless, 'ingest')]?.Properties;
    const bundle = readFileSync(`${assemblyDir}/${assetOf(ingest)}/index.mjs`, 'utf8');
    // A plan in the compiled JSON text reads `"RU":["7",…`.
    const carriesPlan = (country: string, code: string) =>
      carriesJson(bundle, `"${country}":["${code}"`);
    // The example routes dial Russia by default; Kazakhstan shares its +7.
    expect(carriesPlan('RU', '7')).toBe(true);
    expect(carriesPlan('KZ', '7')).toBe(true);
    expect(carriesPlan('DE', '49')).toBe(false);
    expect(carriesPlan('US', '1')).toBe(false);
  });

  it('reads every secret from Secrets Manager by default, as before the secretStore setting', () => {
    const templates = JSON.stringify([stateful.toJSON(), stateless.toJSON()]);
    expect(templates).not.toContain('ssm:GetParameter');
    expect(templates).not.toContain(SECRET_STORE_ENV);
    expect(Object.keys(stateless.findOutputs('*'))).not.toContain('SecretStore');
    expect(Object.keys(resourcesOf(stateful, 'AWS::SecretsManager::Secret'))).toHaveLength(6);
  });

  it('puts no secret value in either template', () => {
    const templates = JSON.stringify([stateful.toJSON(), stateless.toJSON()]);
    for (const secret of Object.values(resourcesOf(stateful, 'AWS::SecretsManager::Secret'))) {
      expect(secret.Properties.SecretString).toBeUndefined();
      expect(secret.Properties.GenerateSecretString).toBeDefined();
    }
    const localSecrets = JSON.parse(readFileSync('callhook.secrets.local.json', 'utf8'));
    for (const value of Object.values(localSecrets)) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      expect(templates).not.toContain(text);
    }
  });

  it('makes no AWS WAF, no REST API, and leaves the browser routes on the HTTP API unless asked', () => {
    stateless.resourceCountIs('AWS::WAFv2::WebACL', 0);
    stateless.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    stateless.resourceCountIs('AWS::ApiGateway::RestApi', 0);
    for (const route of [
      'GET /widget/{asset}',
      'GET /hooks/{route}/form',
      'OPTIONS /hooks/{route}',
    ]) {
      stateless.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: route });
    }
    for (const name of ['ingest', 'widget']) {
      const fn = resourcesOf(stateless, 'AWS::Lambda::Function')[functionId(stateless, name)];
      expect(JSON.stringify(fn?.Properties.Environment)).not.toContain(BROWSER_API_GUARDED_ENV);
    }
    expect(Object.keys(stateless.findOutputs('*'))).not.toContain('BrowserApiUrl');
  });
});

describe('AWS WAF for the browser routes (`-c callhook:waf=true`)', () => {
  let stateless: Template;
  let templates: object[];
  let routes: number;
  beforeAll(() => {
    // The example's routes and one browser form, `form`; no functions built. The fixed-cost
    // table's column of the same name: a test below holds it to these templates.
    const config = parseConfigText(withExampleForm(exampleText), 'the example and its form');
    const synthesized = synthCallhook({ config, settings: DEPLOYMENTS['none, waf'].settings });
    ({ stateless } = synthesized);
    templates = Object.values(synthesized.templates);
    routes = Object.keys(config.routes).length;
  }, 120_000);

  it('costs at rest what docs/deploying-to-aws.md says, and limits the rate as the docs say', () => {
    expectDocumentedFixedCost('none, waf', templates, routes);
    const [acl] = Object.values(resourcesOf(stateless, 'AWS::WAFv2::WebACL'));
    const rules = acl?.Properties.Rules as {
      Statement: { RateBasedStatement?: { Limit: number; EvaluationWindowSec: number } };
    }[];
    const rate = rules.find((rule) => rule.Statement.RateBasedStatement !== undefined);
    const { Limit = 0, EvaluationWindowSec = 0 } = rate?.Statement.RateBasedStatement ?? {};
    const minutes = EvaluationWindowSec / 60;
    expect(docText('docs/deploying-to-aws.md')).toContain(
      `\`wafRateLimit\` (${Limit}) requests to \`/hooks/…\` in ${minutes} minutes`,
    );
    expect(docText('docs/callback-widget.md')).toContain(
      `(${Limit} form requests in ${minutes} minutes by default, \`wafRateLimit\`)`,
    );
  });

  /** Each REST API method as `METHOD /path`, its path rebuilt from the resources' parts. */
  const restMethods = (): Map<string, Record<string, unknown>> => {
    const resources = resourcesOf(stateless, 'AWS::ApiGateway::Resource');
    const pathOf = (id: string): string => {
      const resource = resources[id];
      if (resource === undefined) throw new Error(`no resource ${id}`);
      const parent = resource.Properties.ParentId as { Ref?: string };
      return `${parent.Ref === undefined ? '' : pathOf(parent.Ref)}/${String(resource.Properties.PathPart)}`;
    };
    return new Map(
      Object.values(resourcesOf(stateless, 'AWS::ApiGateway::Method')).map((method) => {
        const { Ref } = method.Properties.ResourceId as { Ref: string };
        return [`${String(method.Properties.HttpMethod)} ${pathOf(Ref)}`, method.Properties];
      }),
    );
  };

  it('guards a regional web ACL with the IP reputation list and a per-address rate rule on the forms', () => {
    stateless.resourceCountIs('AWS::WAFv2::WebACL', 1);
    const [acl] = Object.values(resourcesOf(stateless, 'AWS::WAFv2::WebACL'));
    expect(acl?.Properties).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    const rules = acl?.Properties.Rules as Record<string, unknown>[];
    expect(rules.map((rule) => rule.Name)).toEqual([
      'AWSManagedRulesAmazonIpReputationList',
      'FormRequestsPerAddress',
    ]);
    expect(rules[0]).toMatchObject({
      OverrideAction: { None: {} },
      Statement: {
        ManagedRuleGroupStatement: {
          VendorName: 'AWS',
          Name: 'AWSManagedRulesAmazonIpReputationList',
        },
      },
    });
    expect(rules[1]).toMatchObject({
      Action: { Block: {} },
      Statement: {
        RateBasedStatement: {
          AggregateKeyType: 'IP',
          Limit: 100,
          EvaluationWindowSec: 300,
          ScopeDownStatement: {
            ByteMatchStatement: {
              FieldToMatch: { UriPath: {} },
              PositionalConstraint: 'CONTAINS',
              SearchString: '/hooks/',
            },
          },
        },
      },
    });
  });

  it("associates it with the browser API's stage, which the widget snippet names in an output", () => {
    const [aclId] = Object.keys(resourcesOf(stateless, 'AWS::WAFv2::WebACL'));
    const [stageId] = Object.keys(resourcesOf(stateless, 'AWS::ApiGateway::Stage'));
    stateless.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    const [association] = Object.values(resourcesOf(stateless, 'AWS::WAFv2::WebACLAssociation'));
    expect(association?.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    expect(JSON.stringify(association?.Properties.ResourceArn)).toContain(stageId);
    stateless.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'forms',
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 })],
    });
    stateless.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    const url = JSON.stringify(stateless.findOutputs('BrowserApiUrl'));
    expect(url).toMatch(/https:\/\/.*execute-api.*\/forms"/);
  });

  it('routes only the browser route and the widget through it, and takes them off the HTTP API', () => {
    const methods = restMethods();
    expect([...methods.keys()].sort()).toEqual([
      'GET /hooks/form/form',
      'GET /widget/{asset}',
      'OPTIONS /hooks/form',
      'POST /hooks/form',
    ]);
    const functionOf = (key: string) =>
      JSON.stringify((methods.get(key)?.Integration as { Uri?: unknown } | undefined)?.Uri);
    for (const key of ['POST /hooks/form', 'OPTIONS /hooks/form']) {
      expect(methods.get(key)?.Integration).toMatchObject({ Type: 'AWS_PROXY' });
      expect(functionOf(key)).toContain(functionId(stateless, 'ingest'));
    }
    for (const key of ['GET /hooks/form/form', 'GET /widget/{asset}']) {
      expect(functionOf(key)).toContain(functionId(stateless, 'widget'));
    }
    // The HTTP API keeps the signed routes; its browser answers are refused by the functions.
    const httpRoutes = Object.values(resourcesOf(stateless, 'AWS::ApiGatewayV2::Route')).map(
      (route) => route.Properties.RouteKey,
    );
    expect(httpRoutes).toContain('POST /hooks/{route}');
    expect(httpRoutes).not.toContain('GET /widget/{asset}');
    expect(httpRoutes).not.toContain('GET /hooks/{route}/form');
    for (const name of ['ingest', 'widget']) {
      const fn = resourcesOf(stateless, 'AWS::Lambda::Function')[functionId(stateless, name)];
      expect(fn?.Properties.Environment).toMatchObject({
        Variables: { [BROWSER_API_GUARDED_ENV]: 'true' },
      });
    }
  });

  it('adds the anonymous IP list when asked, and takes the rate limit it is given', () => {
    const stack = new Stack(new App(), 'Bare');
    const fn = lambda.Function.fromFunctionArn(
      stack,
      'Fn',
      'arn:aws:lambda:eu-central-1:123456789012:function:f',
    );
    const api = new BrowserApi(stack, 'BrowserApi', {
      browserRoutes: ['form'],
      handlers: { ingest: fn, widget: fn },
      stage: 'prod',
      throttle: { rateLimit: 5, burstLimit: 10 },
      logRetention: 30,
      rateLimit: 20,
      anonymousIpList: true,
    });
    const rules = api.webAcl.rules as {
      name: string;
      statement: { rateBasedStatement?: { limit: number } };
    }[];
    expect(rules.map((rule) => rule.name)).toEqual([
      'AWSManagedRulesAmazonIpReputationList',
      'AWSManagedRulesAnonymousIpList',
      'FormRequestsPerAddress',
    ]);
    expect(rules[2]?.statement.rateBasedStatement?.limit).toBe(20);
    expect(api.webAcl.name).toBe('prod--callhook-browser');
  });

  it('refuses waf for a config without a browser route', () => {
    expect(() =>
      buildCallhookApp({
        config: parseConfigText(exampleText, EXAMPLE),
        settings: DeploySettings.parse({ waf: true }),
      }),
    ).toThrow(/callhook:waf guards the browser routes .* the config has none/);
  });
});

// These synthesize without building the functions: only the templates are asked about.
describe('Secrets in Parameter Store (`-c callhook:secretStore=parameter-store`)', () => {
  let stateful: Template;
  let stateless: Template;
  let templates: object[];
  beforeAll(() => {
    // The fixed-cost table's column of the same name: a test below holds it to these templates.
    const synthesized = synthCallhook({
      settings: DEPLOYMENTS['nat-instance, parameter-store'].settings,
    });
    ({ stateful, stateless } = synthesized);
    templates = Object.values(synthesized.templates);
  }, 120_000);

  /** A function's role's statements that name SSM, and the parameters they name. */
  const ssmReads = (name: string) => {
    const policy = Object.entries(resourcesOf(stateless, 'AWS::IAM::Policy')).find(([id]) =>
      id.startsWith(`${name}RoleDefaultPolicy`),
    )?.[1];
    if (policy === undefined) throw new Error(`no policy for ${name}`);
    const statements = (
      policy.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }
    ).Statement.filter((statement) => JSON.stringify(statement.Action).includes('ssm:'));
    return {
      actions: statements.flatMap((statement) => [statement.Action].flat()),
      parameters: [...JSON.stringify(statements).matchAll(/:parameter(\/[^"]*)"/g)]
        .map(([, parameter]) => parameter)
        .sort(),
    };
  };

  it('costs at rest what docs/deploying-to-aws.md says: no secret at all', () => {
    const routes = Object.keys(parseConfigText(exampleText, 'test').routes).length;
    const priced = expectDocumentedFixedCost('nat-instance, parameter-store', templates, routes);
    expect(priced.items.secrets).toBe(0);
  });

  it('creates no Secrets Manager secret, and puts callhook/keys with a custom resource that may PutParameter it alone', () => {
    stateful.resourceCountIs('AWS::SecretsManager::Secret', 0);
    stateless.resourceCountIs('AWS::SecretsManager::Secret', 0);
    // Nor a parameter: no template holds a value; the operator puts the config's.
    stateful.resourceCountIs('AWS::SSM::Parameter', 0);
    stateless.resourceCountIs('AWS::SSM::Parameter', 0);
    stateless.hasOutput('SecretStore', { Value: 'parameter-store' });
    const keys = Object.values(resourcesOf(stateful, 'Custom::CallhookOwnKeysParameter'));
    expect(keys.map((resource) => resource.Properties.ParameterName)).toEqual(['/callhook/keys']);
    // Its function's role: SSM's PutParameter on exactly that parameter, and no other SSM or
    // Secrets Manager action anywhere in the stateful stack.
    const statements = Object.values(resourcesOf(stateful, 'AWS::IAM::Policy')).flatMap(
      (policy) =>
        (
          policy.Properties.PolicyDocument as {
            Statement: { Action: unknown; Resource: unknown }[];
          }
        ).Statement,
    );
    const ssm = statements.filter((statement) =>
      /"(ssm|secretsmanager):/.test(JSON.stringify(statement.Action)),
    );
    expect(ssm).toHaveLength(1);
    expect(ssm[0]?.Action).toBe('ssm:PutParameter');
    expect(JSON.stringify(ssm[0]?.Resource)).toMatch(/:parameter\/callhook\/keys"\]\]\}$/);
  });

  it('lets each function GetParameter exactly the parameters of the secrets it reads, callhook/keys among them, and says where they are', () => {
    const needs = secretNeeds(parseConfigText(exampleText, 'test'));
    const parameters = (names: string[]) => [...new Set(names)].map((name) => `/${name}`).sort();
    const keys = 'callhook/keys';
    const expected: Record<string, string[]> = {
      ingest: parameters([...needs.senders, keys]),
      dispatch: parameters(needs.accounts),
      sweeper: parameters([...needs.accounts, ...needs.reports, keys]),
      calls: parameters([...needs.accounts, keys]),
      events: parameters([...needs.events, keys]),
      callbacks: parameters(needs.callbacks),
      probe: parameters(needs.accounts),
    };
    expect(expected.ingest).toEqual([
      '/callhook/keys',
      '/callhook/shopify',
      '/callhook/tilda-token',
    ]);
    const functions = resourcesOf(stateless, 'AWS::Lambda::Function');
    for (const [name, names] of Object.entries(expected)) {
      const reads = ssmReads(name);
      expect(reads.actions, name).toEqual(['ssm:GetParameter']);
      expect(reads.parameters, name).toEqual(names);
      const environment = functions[functionId(stateless, name)]?.Properties.Environment as
        | { Variables: Record<string, unknown> }
        | undefined;
      const variables = environment?.Variables ?? {};
      expect(variables[SECRET_STORE_ENV], name).toBe('parameter-store');
    }
    // The functions that read no secret get neither.
    for (const name of ['dead-letter', 'health', 'console', 'widget']) {
      const fn = resourcesOf(stateless, 'AWS::Lambda::Function')[functionId(stateless, name)];
      expect(JSON.stringify(fn?.Properties.Environment), name).not.toContain(SECRET_STORE_ENV);
    }
    expect(ssmReads('deadletter').actions).toEqual([]);
    // And no function reads Secrets Manager.
    for (const policy of Object.values(resourcesOf(stateless, 'AWS::IAM::Policy'))) {
      expect(JSON.stringify(policy.Properties.PolicyDocument)).not.toContain('secretsmanager:');
    }
  });

  it("refuses a config's secret name Parameter Store would not take, naming it", () => {
    const config = JSON.parse(exampleText);
    config.accounts[Object.keys(config.accounts)[0] as string].secret = 'callhook/uis@key';
    expect(() =>
      synthCallhook({
        config: parseConfigText(JSON.stringify(config), 'test'),
        settings: { secretStore: 'parameter-store' },
      }),
    ).toThrow(/the config's secret callhook\/uis@key cannot be the parameter \/callhook\/uis@key/);
    // Secrets Manager takes it.
    expect(() =>
      buildCallhookApp({
        app: new App({ context: { 'aws:cdk:bundling-stacks': [] } }),
        config: parseConfigText(JSON.stringify(config), 'test'),
        settings: DeploySettings.parse({}),
      }),
    ).not.toThrow();
  });
});

describe('Deployment settings', () => {
  it('uses the Elastic IP allocations it is given instead of creating new ones', () => {
    const { stateful, stateless } = synthCallhook({
      settings: { natGateways: 2, eipAllocationIds: ['eipalloc-0a1b2c3d', 'eipalloc-4e5f6a7b'] },
    });

    stateful.resourceCountIs('AWS::EC2::EIP', 0);
    const allocations = Object.values(resourcesOf(stateless, 'AWS::EC2::NatGateway'))
      .map((nat) => nat.Properties.AllocationId)
      .sort();
    expect(allocations).toEqual(['eipalloc-0a1b2c3d', 'eipalloc-4e5f6a7b']);
  }, 120_000);

  it('subscribes the alarmEmail address to the alarm topic', () => {
    const { stateless } = synthCallhook({ settings: { alarmEmail: 'ops@shop.example' } });

    stateless.resourceCountIs('AWS::SNS::Subscription', 1);
    stateless.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@shop.example',
      TopicArn: { Ref: Match.stringLikeRegexp('AlarmTopic') },
    });
  }, 120_000);

  it('refuses an alarmEmail that is not an e-mail address, naming the setting', () => {
    const context = (value: unknown) => (key: string) =>
      key === 'callhook:alarmEmail' ? value : undefined;

    expect(() => settingsFromContext(context('ops at shop'))).toThrow(/callhook:alarmEmail/);
    expect(settingsFromContext(context('ops@shop.example')).alarmEmail).toBe('ops@shop.example');
    expect(settingsFromContext(() => undefined).alarmEmail).toBeUndefined();
  });

  it('alarms when a route with a speed-to-lead target meets it too seldom, on the metric its calls publish', () => {
    const example = JSON.parse(exampleText) as { routes: Record<string, Record<string, unknown>> };
    example.routes.shop = {
      ...example.routes.shop,
      target: { talk_within_minutes: 5, alert_below: 0.7 },
    };
    const { stateless } = synthCallhook({
      config: parseConfigText(JSON.stringify(example), 'test'),
    });

    // docs/operating.md lists it by its id, with the route's name in it.
    const ids = Object.keys(resourcesOf(stateless, 'AWS::CloudWatch::Alarm'));
    expect(ids.filter((id) => /^ObservabilitySpeedToLeadshop[0-9A-F]{8}$/.test(id))).toHaveLength(
      1,
    );
    expect(documentedAlarms().get('SpeedToLead-<route>')).toContain('in the last hour');
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'callhook',
      MetricName: 'SpeedToLeadMet',
      Dimensions: [{ Name: 'Route', Value: 'shop' }],
      Statistic: 'Average',
      Period: 3600,
      Threshold: 0.7,
      ComparisonOperator: 'LessThanThreshold',
    });
    stateless.hasResourceProperties('AWS::Logs::MetricFilter', {
      MetricTransformations: [
        {
          MetricNamespace: 'callhook',
          MetricName: 'SpeedToLeadMet',
          MetricValue: '$.met',
          Dimensions: [{ Key: 'Route', Value: '$.route' }],
        },
      ],
    });
  }, 120_000);

  it('refuses to deploy a config whose account is the local simulator', () => {
    const local = readFileSync('callhook.config.json', 'utf8');
    expect(() => synthCallhook({ config: parseConfigText(local, 'test') })).toThrow(
      /accounts\.demo uses the local simulator/,
    );
  });

  it('refuses a config that names the secret callhook keeps its own keys in', () => {
    const config = JSON.parse(exampleText);
    config.accounts[Object.keys(config.accounts)[0] as string].secret = 'callhook/keys';
    expect(() =>
      synthCallhook({ config: parseConfigText(JSON.stringify(config), 'test') }),
    ).toThrow(/the config names the secret callhook\/keys/);
  });
});
