import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYMENTS } from '../../bench/fixed-cost.ts';
import { alarmMetricsOf, dashboardWidgets } from '../../bench/fixed-pricing.ts';
import { PRICES } from '../../bench/prices.ts';
import { docText, documentedAlarms, numberWord } from '../support/doc-text.ts';
import { expectDocumentedFixedCost } from '../support/fixed-cost-doc.ts';
import { exampleConfig, type Resources, type Synthesized, synthCallhook } from './cdk-synth.ts';

const props = (resource: Resources[string] | undefined) => resource?.Properties ?? {};
const ofType = (resources: Resources, type: string) =>
  Object.entries(resources).filter(([, resource]) => resource.Type === type);

const parts = (synthesized: Synthesized) => ({
  stateful: synthesized.templates[synthesized.stackNames.stateful]?.Resources ?? {},
  stateless: synthesized.templates[synthesized.stackNames.stateless]?.Resources ?? {},
});

/** The private subnets (no public address on launch) and their default routes. */
const privateDefaultRoutes = (stateless: Resources) => {
  const privateSubnets = ofType(stateless, 'AWS::EC2::Subnet')
    .filter(([, subnet]) => subnet.Properties?.MapPublicIpOnLaunch === false)
    .map(([id]) => id);
  const tableOf = new Map(
    ofType(stateless, 'AWS::EC2::SubnetRouteTableAssociation').map(([, a]) => [
      (props(a).SubnetId as { Ref: string }).Ref,
      (props(a).RouteTableId as { Ref: string }).Ref,
    ]),
  );
  const routes = ofType(stateless, 'AWS::EC2::Route').map(([, route]) => route.Properties ?? {});
  return privateSubnets.map((subnet) => {
    const route = routes.find(
      (r) =>
        (r.RouteTableId as { Ref: string }).Ref === tableOf.get(subnet) &&
        r.DestinationCidrBlock === '0.0.0.0/0',
    );
    if (route === undefined) throw new Error(`private subnet ${subnet} has no default route`);
    return route;
  });
};

/** The stateful stack's Elastic IP allocation an imported value refers to. */
const importsAllocationOf = (value: unknown, eip: string) =>
  JSON.stringify(value).includes(`FnGetAtt${eip}AllocationId`);

describe('Egress: NAT gateways or a NAT instance, on the same Elastic IPs', () => {
  let gateway: Synthesized;
  let instance: Synthesized;
  beforeAll(() => {
    // Each synthesis runs cdk-nag and CloudFormation's schema check: a finding throws here.
    // The fixed-cost table's columns of the same names: the tests below hold them to these.
    gateway = synthCallhook({ settings: DEPLOYMENTS['nat-gateway'].settings });
    instance = synthCallhook({ settings: DEPLOYMENTS['nat-instance'].settings });
  }, 120_000);

  it('leaves the private subnets through a NAT gateway holding the stateful Elastic IP by default', () => {
    const { stateless } = parts(gateway);
    const nats = ofType(stateless, 'AWS::EC2::NatGateway');
    expect(nats).toHaveLength(1);
    const [[natId, nat]] = nats as [[string, Resources[string]]];
    expect(importsAllocationOf(nat.Properties?.AllocationId, 'EgressIp1')).toBe(true);
    const routes = privateDefaultRoutes(stateless);
    expect(routes).toHaveLength(2);
    for (const route of routes) expect(route.NatGatewayId).toEqual({ Ref: natId });
    expect(ofType(stateless, 'AWS::EC2::Instance')).toHaveLength(0);
  });

  it('leaves them through one t4g.nano instance with that same Elastic IP, and no NAT gateway', () => {
    const { stateless } = parts(instance);
    expect(ofType(stateless, 'AWS::EC2::NatGateway')).toHaveLength(0);
    const instances = ofType(stateless, 'AWS::EC2::Instance');
    expect(instances).toHaveLength(1);
    const [[instanceId, nat]] = instances as [[string, Resources[string]]];
    expect(nat.Properties).toMatchObject({
      InstanceType: 't4g.nano',
      SourceDestCheck: false,
      CreditSpecification: { CPUCredits: 'standard' },
      BlockDeviceMappings: [{ Ebs: { Encrypted: true, VolumeType: 'gp3' } }],
    });
    // Amazon Linux 2023 for arm64, resolved from AWS's public parameter at deploy time.
    const image = (props(nat).ImageId as { Ref: string }).Ref;
    expect(image).toMatch(/al2023.*arm64/);
    expect(instance.templates[instance.stackNames.stateless]?.Parameters?.[image]).toMatchObject({
      Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
    });

    for (const route of privateDefaultRoutes(stateless)) {
      expect(route.InstanceId).toEqual({ Ref: instanceId });
    }
    // It takes the stateful Elastic IP itself at start-up, and forwards only once it holds it.
    const startup = JSON.stringify(props(nat).UserData);
    expect(importsAllocationOf(props(nat).UserData, 'EgressIp1')).toBe(true);
    const takes = startup.indexOf('aws ec2 associate-address');
    expect(takes).toBeGreaterThan(0);
    expect(startup.indexOf('net.ipv4.ip_forward=1')).toBeGreaterThan(takes);
    expect(startup.indexOf('MASQUERADE')).toBeGreaterThan(takes);
    // No CloudFormation association: it could not be made while the old holder has the address.
    expect(ofType(stateless, 'AWS::EC2::EIPAssociation')).toHaveLength(0);
  });

  it('lets the NAT instance associate only its own address with itself', () => {
    const { stateless } = parts(instance);
    const [instanceId] = ofType(stateless, 'AWS::EC2::Instance').map(([id]) => id);
    const profile = (props(stateless[instanceId ?? '']).IamInstanceProfile as { Ref: string }).Ref;
    const roleId = (props(stateless[profile]).Roles as { Ref: string }[])[0]?.Ref;
    const statements = ofType(stateless, 'AWS::IAM::Policy')
      .filter(([, policy]) => JSON.stringify(props(policy).Roles).includes(`"${roleId}"`))
      .flatMap(
        ([, policy]) => (props(policy).PolicyDocument as { Statement: unknown[] }).Statement,
      );
    expect(statements).toEqual([
      {
        Action: 'ec2:AssociateAddress',
        Effect: 'Allow',
        Resource: [expect.anything(), expect.anything()],
      },
    ]);
    const [address, itself] = (statements[0] as { Resource: unknown[] }).Resource;
    expect(JSON.stringify(address)).toContain(':elastic-ip/');
    expect(importsAllocationOf(address, 'EgressIp1')).toBe(true);
    expect(JSON.stringify(itself)).toContain(`:instance/",{"Ref":"${instanceId}"}`);
  });

  it('keeps the stateful stack, Elastic IPs included, the same whichever egress is chosen', () => {
    const eips = ofType(parts(instance).stateful, 'AWS::EC2::EIP');
    expect(eips.map(([id, eip]) => [id, eip.DeletionPolicy])).toEqual([['EgressIp1', 'Retain']]);
    expect(parts(instance).stateful).toEqual(parts(gateway).stateful);
  });

  it("lets into the NAT instance only the functions' HTTPS, and out only HTTPS", () => {
    const { stateless } = parts(instance);
    const natGroupId = (
      props(ofType(stateless, 'AWS::EC2::Instance')[0]?.[1]).SecurityGroupIds as {
        'Fn::GetAtt': [string, string];
      }[]
    )[0]?.['Fn::GetAtt'][0];
    const group = natGroupId === undefined ? undefined : stateless[natGroupId];
    expect(group?.Properties?.SecurityGroupIngress).toBeUndefined();
    expect(group?.Properties?.SecurityGroupEgress).toEqual([
      expect.objectContaining({
        CidrIp: '0.0.0.0/0',
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
      }),
    ]);
    const ingress = ofType(stateless, 'AWS::EC2::SecurityGroupIngress')
      .map(([, rule]) => rule.Properties ?? {})
      .filter((rule) => JSON.stringify(rule.GroupId).includes(natGroupId ?? '?'));
    expect(ingress).toHaveLength(1);
    const [functionsGroup] = ofType(stateless, 'AWS::EC2::SecurityGroup').find(([, sg]) =>
      String(sg.Properties?.GroupDescription).startsWith('callhook functions'),
    ) ?? [undefined];
    expect(ingress[0]).toMatchObject({
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      SourceSecurityGroupId: { 'Fn::GetAtt': [functionsGroup, 'GroupId'] },
    });
    // Nothing else may reach it: no rule from an address range.
    expect(JSON.stringify(ingress)).not.toContain('CidrIp');
  });

  it('recovers the NAT instance on a failed system check and reboots it on a failed instance check, telling the alarm topic', () => {
    const { stateless } = parts(instance);
    const alarms = ofType(stateless, 'AWS::CloudWatch::Alarm')
      .map(([, alarm]) => alarm.Properties ?? {})
      .filter((alarm) => alarm.Namespace === 'AWS/EC2');
    const actionOf = (metric: string) =>
      JSON.stringify(alarms.find((alarm) => alarm.MetricName === metric)?.AlarmActions);
    expect(alarms).toHaveLength(2);
    expect(actionOf('StatusCheckFailed_System')).toContain(':ec2:recover');
    expect(actionOf('StatusCheckFailed_Instance')).toContain(':ec2:reboot');
    const [topic] = ofType(stateless, 'AWS::SNS::Topic').map(([id]) => id);
    for (const alarm of alarms) expect(JSON.stringify(alarm.AlarmActions)).toContain(`"${topic}"`);
    expect(ofType(parts(gateway).stateless, 'AWS::CloudWatch::Alarm').length).toBe(
      ofType(stateless, 'AWS::CloudWatch::Alarm').length - 2,
    );
  });

  it('costs at rest, graphs and alarms as docs/deploying-to-aws.md says', () => {
    const routes = Object.keys(exampleConfig().routes).length;
    const viaGateway = expectDocumentedFixedCost(
      'nat-gateway',
      Object.values(gateway.templates),
      routes,
    );
    const viaInstance = expectDocumentedFixedCost(
      'nat-instance',
      Object.values(instance.templates),
      routes,
    );
    const doc = docText('docs/deploying-to-aws.md');
    // The dashboard graphs its totals, and one line a route on each graph by route.
    const [board] = ofType(parts(gateway).stateless, 'AWS::CloudWatch::Dashboard');
    const byRoute = dashboardWidgets(props(board?.[1]).DashboardBody).filter((widget) =>
      widget.properties?.title?.endsWith(' by route'),
    );
    const graphed = viaGateway.items.dashboardMetrics[0] ?? 0;
    const totals = graphed - byRoute.length * routes;
    const free = PRICES.cloudwatch_free_dashboard_metrics;
    const tooMany = Math.floor((free - totals) / byRoute.length) + 1;
    expect(doc).toContain(
      `graphs ${graphed} metrics with the example's ${routes} routes (${totals}, and ${byRoute.length} a route: ${tooMany} routes take it past ${free})`,
    );
    expect(doc).toContain(
      `its alarms come to ${alarmMetricsOf(viaGateway.items)} alarm metrics with a NAT gateway and ${alarmMetricsOf(viaInstance.items)} with a NAT instance`,
    );
    // docs/operating.md names the graphs by route, in the dashboard's order.
    const names = byRoute.map(
      (widget) => `\`${widget.properties?.title?.replace(' by route', '')}\``,
    );
    expect(docText('docs/operating.md')).toContain(
      `one line per route: ${names.slice(0, -1).join(', ')} and ${names.at(-1)}`,
    );
  });

  it('has the alarms docs/operating.md lists, each firing as its row says', () => {
    const { stateless } = parts(instance);
    const alarms = new Map(
      ofType(stateless, 'AWS::CloudWatch::Alarm').map(([id, alarm]) => [
        id.replace(/^Observability/, '').replace(/[0-9A-F]{8}$/, ''),
        props(alarm),
      ]),
    );
    const rows = documentedAlarms();
    // A route with a target has one more, SpeedToLead-<route> (stacks.test.ts).
    expect([...rows.keys()].filter((id) => !id.endsWith('<route>')).sort()).toEqual(
      [...alarms.keys()].sort(),
    );
    const row = (id: string) => (rows.get(id) ?? '').replace(/\s+/g, ' ');
    const alarm = (id: string) => alarms.get(id) ?? {};
    for (const id of ['Unknown', 'ProviderConfig', 'DataApiFailed']) {
      const { Threshold, EvaluationPeriods, Period } = alarm(id);
      const times = Threshold === 1 && EvaluationPeriods === 1 ? 'once' : `${Threshold} times`;
      expect(row(id)).toContain(`${times} within ${Number(Period) / 60} minutes`);
    }
    const redrive = (queue: string) =>
      ofType(stateless, 'AWS::SQS::Queue').find(([id]) =>
        new RegExp(`^${queue}[0-9A-F]{8}$`).test(id),
      )?.[1];
    const { maxReceiveCount } = props(redrive('DispatchQueue')).RedrivePolicy as {
      maxReceiveCount: number;
    };
    expect(row('DeadLetters1')).toContain(`a call's message failed ${maxReceiveCount} deliveries`);

    const skipped = alarm('SkippedAboveUsual');
    const [band, source] = skipped.Metrics as [
      { Expression: string },
      { MetricStat: { Period: number } },
    ];
    const periods = Number(skipped.EvaluationPeriods);
    expect(skipped.DatapointsToAlarm).toBe(periods);
    const minutes = source.MetricStat.Period / 60;
    const stdDevs = /ANOMALY_DETECTION_BAND\(m0, (\d+)\)/.exec(band.Expression)?.[1];
    expect(row('SkippedAboveUsual')).toContain(
      `for ${periods * minutes} minutes (${numberWord(periods)} ${minutes}-minute periods above CloudWatch's anomaly band, ${stdDevs} standard deviations wide)`,
    );

    // The sweeper's schedule, and the alarm on its silence.
    const [schedule] = ofType(stateless, 'AWS::Events::Rule').map(
      ([, rule]) => props(rule).ScheduleExpression,
    );
    const every = /^rate\(1 minute\)$/.test(String(schedule)) ? 'every minute' : String(schedule);
    expect(row('SweeperNotRunning')).toContain(
      `(scheduled ${every}) has not been invoked for ${Number(alarm('SweeperNotRunning').Period) / 60} minutes`,
    );
    expect(docText('docs/http-contract.md')).toContain(`The sweeper** (${every} on AWS`);
    expect(docText('docs/deploying-to-aws.md')).toContain(`the sweeper schedule (${every})`);

    // What a status callback's message that failed every delivery waits in, and for how long.
    const kept = Number(props(redrive('CallbackQueueDeadLetters')).MessageRetentionPeriod);
    expect(docText('docs/configuration.md')).toContain(
      `until it is delivered, for at most ${kept / 86_400} days`,
    );
  });

  it('puts one NAT instance in each zone on the Elastic IPs it is given', () => {
    const { stateful, stateless } = parts(
      synthCallhook({
        settings: {
          egress: 'nat-instance',
          natGateways: 2,
          eipAllocationIds: ['eipalloc-0a1b2c3d', 'eipalloc-4e5f6a7b'],
        },
      }),
    );
    expect(ofType(stateful, 'AWS::EC2::EIP')).toHaveLength(0);
    const natInstances = ofType(stateless, 'AWS::EC2::Instance');
    expect(natInstances).toHaveLength(2);
    // Each takes one of the given addresses, the first the first.
    const taken = natInstances.map(
      ([, nat]) =>
        JSON.stringify(props(nat).UserData).match(/--allocation-id (eipalloc-[0-9a-f]+)/)?.[1],
    );
    expect(taken).toEqual(['eipalloc-0a1b2c3d', 'eipalloc-4e5f6a7b']);
    const instances = natInstances.map(([id]) => id);
    // Each private subnet goes through the instance of its own zone.
    const targets = privateDefaultRoutes(stateless).map(
      (r) => (r.InstanceId as { Ref: string }).Ref,
    );
    expect(targets.sort()).toEqual(instances.sort());
  }, 60_000);
});

describe('Egress: none, for a provider that needs no whitelisted address', () => {
  let none: Synthesized;
  beforeAll(() => {
    // The smallest deployment: no fixed address, no dashboard, no anomaly alarm.
    none = synthCallhook({ settings: DEPLOYMENTS['none, lean'].settings });
  }, 120_000);

  it('makes no VPC, NAT, instance or Elastic IP', () => {
    const { stateful, stateless } = parts(none);
    for (const type of [
      'AWS::EC2::VPC',
      'AWS::EC2::Subnet',
      'AWS::EC2::NatGateway',
      'AWS::EC2::Instance',
      'AWS::EC2::EIP',
      'AWS::EC2::SecurityGroup',
      'AWS::EC2::FlowLog',
    ]) {
      expect([...ofType(stateful, type), ...ofType(stateless, type)], type).toEqual([]);
    }
  });

  it('runs every function outside a VPC, and says no address to whitelist', () => {
    const { stateless } = parts(none);
    const functions = ofType(stateless, 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(5);
    for (const [id, fn] of functions) expect(props(fn).VpcConfig, id).toBeUndefined();
    const outputs = Object.keys(none.templates[none.stackNames.stateless]?.Outputs ?? {});
    expect(outputs.filter((name) => name.startsWith('EgressIp'))).toEqual([]);
  });

  it('costs at rest what docs/deploying-to-aws.md says without them', () => {
    const routes = Object.keys(exampleConfig().routes).length;
    const priced = expectDocumentedFixedCost('none, lean', Object.values(none.templates), routes);
    expect(priced.items.dashboards + priced.items.alarms.anomaly).toBe(0);
  });

  it('makes no dashboard and no anomaly alarm when told not to, and keeps the other alarms', () => {
    const { stateless } = parts(none);
    expect(ofType(stateless, 'AWS::CloudWatch::Dashboard')).toEqual([]);
    const alarms = ofType(stateless, 'AWS::CloudWatch::Alarm');
    expect(alarms.filter(([, alarm]) => props(alarm).ThresholdMetricId !== undefined)).toEqual([]);
    expect(alarms.length).toBeGreaterThan(5);
  });
});
