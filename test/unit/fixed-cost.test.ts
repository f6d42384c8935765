import { describe, expect, it } from 'vitest';
import {
  cloudWatchFreeTierLine,
  countFixedItems,
  customMetricsAtMost,
  dashboardMetricCount,
  fixedCostLines,
  metricsAtMost,
  SQS_IDLE_POLLERS_PER_MAPPING,
  SQS_IDLE_REQUESTS_PER_MAPPING_MONTH,
  SQS_LONG_POLL_SECONDS,
  sqsFreeTierLine,
  totalOf,
} from '../../bench/fixed-pricing.ts';
import { PRICES } from '../../bench/prices.ts';

/** A deployment's templates, written by hand: what the counts and the dollars must come to. */
const filter = (name: string, dimensions: string[] = []) => ({
  Type: 'AWS::Logs::MetricFilter',
  Properties: {
    MetricTransformations: [
      {
        MetricName: name,
        ...(dimensions.length > 0 && {
          Dimensions: dimensions.map((key) => ({ Key: key, Value: `$.${key.toLowerCase()}` })),
        }),
      },
    ],
  },
});
const stateful = {
  Resources: {
    Ip: { Type: 'AWS::EC2::EIP' },
    S1: { Type: 'AWS::SecretsManager::Secret' },
    S2: { Type: 'AWS::SecretsManager::Secret' },
    S3: { Type: 'AWS::SecretsManager::Secret' },
  },
};
const stateless = (nat: 'AWS::EC2::NatGateway' | 'AWS::EC2::Instance') => ({
  Resources: {
    Nat: { Type: nat },
    Flow: { Type: 'AWS::EC2::FlowLog' },
    Board: {
      Type: 'AWS::CloudWatch::Dashboard',
      Properties: {
        DashboardBody: {
          'Fn::Join': [
            '',
            [
              '{"widgets":[{"type":"metric","properties":{"region":"',
              { Ref: 'AWS::Region' },
              '","metrics":[["callhook","Placed"],["callhook","PlacedByRoute","Route","shop"]]}},',
              '{"type":"alarm","properties":{"alarms":["',
              { 'Fn::GetAtt': ['Plain', 'Arn'] },
              '"]}}]}',
            ],
          ],
        },
      },
    },
    Plain: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'Unknown' } },
    Band: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: { Metrics: [{ Expression: 'ANOMALY_DETECTION_BAND(m0, 3)' }] },
    },
    // The same metric from two functions' log groups is one metric.
    F1: filter('Placed'),
    F2: filter('Placed'),
    F3: filter('PlacedByRoute', ['Route']),
    F4: filter('FailedByReason', ['Reason']),
    F5: filter('SkippedByReason', ['Route', 'Reason']),
  },
});

describe('The fixed monthly cost', () => {
  it('counts what the templates hold', () => {
    expect(countFixedItems([stateful, stateless('AWS::EC2::NatGateway')])).toEqual({
      natGateways: 1,
      publicIpv4: 1,
      natInstances: 0,
      alarms: { standard: 1, anomaly: 1 },
      dashboards: 1,
      dashboardMetrics: [2],
      secrets: 3,
      parameters: 0,
      kmsKeys: 0,
      flowLogs: 1,
      sqsEventSourceMappings: 0,
      waf: { webAcls: 0, rules: 0 },
      metrics: { plain: 1, perRoute: 1, perValue: 2 },
    });
    // Allocations given instead of created are still addresses billed by the hour.
    expect(countFixedItems([stateless('AWS::EC2::Instance')], 2).publicIpv4).toBe(2);
  });

  it('prices a NAT gateway deployment as computed by hand', () => {
    const lines = fixedCostLines(countFixedItems([stateful, stateless('AWS::EC2::NatGateway')]));
    const dollars = Object.fromEntries(
      lines.map((line) => [line.item.split(' (')[0], line.dollars]),
    );
    expect(dollars).toMatchObject({
      'NAT gateway': 32.85, // 730 h × $0.045
      'NAT instance': 0,
      'public IPv4 address': 3.65, // 730 h × $0.005
      secrets: 1.2, // 3 × $0.40
      alarms: 0.4, // (1 + 3) × $0.10
      dashboard: 3, // 1 × $3.00
      'VPC flow logs at rest': 0.01, // 0.01 GB × $0.50, rounded up from half a cent
      'KMS customer keys': 0,
    });
    expect(totalOf(lines)).toBe(41.11);
  });

  it('prices a NAT instance deployment as computed by hand', () => {
    const lines = fixedCostLines(countFixedItems([stateful, stateless('AWS::EC2::Instance')]));
    const dollars = Object.fromEntries(
      lines.map((line) => [line.item.split(' (')[0], line.dollars]),
    );
    expect(dollars['NAT gateway']).toBe(0);
    expect(dollars['NAT instance']).toBe(3.07); // 730 h × $0.0042 = $3.066
    expect(dollars['its root volume']).toBe(0.64); // 8 GB × $0.08
    // 3.07 + 0.64 + 3.65 + 1.20 + 0.40 + 3.00 + 0.01
    expect(totalOf(lines)).toBe(11.97);
  });

  it('prices a web ACL and each of its rules, a managed rule group as one', () => {
    const acl = (rules: number) => ({
      Type: 'AWS::WAFv2::WebACL',
      Properties: { Rules: Array.from({ length: rules }, (_, i) => ({ Name: `r${i}` })) },
    });
    const items = countFixedItems([{ Resources: { Acl: acl(3) } }]);
    expect(items.waf).toEqual({ webAcls: 1, rules: 3 });
    const dollars = Object.fromEntries(
      fixedCostLines(items).map((line) => [line.item.split(' (')[0], line.dollars]),
    );
    expect(dollars['AWS WAF web ACL']).toBe(5); // 1 × $5.00
    expect(dollars['its rules']).toBe(3); // 3 × $1.00
    expect(totalOf(fixedCostLines(items))).toBe(8);
  });

  it('counts each parameter the roles may GetParameter once, at no cost', () => {
    const arn = (name: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ssm:r:a:parameter/${name}`]],
    });
    const policy = (statements: { Action: string | string[]; Resource: unknown }[]) => ({
      Type: 'AWS::IAM::Policy',
      Properties: { PolicyDocument: { Statement: statements } },
    });
    const items = countFixedItems([
      {
        Resources: {
          A: policy([
            { Action: 'ssm:GetParameter', Resource: [arn('callhook/a'), arn('callhook/b')] },
            { Action: ['secretsmanager:GetSecretValue'], Resource: arn('callhook/c') },
          ]),
          // The same parameter granted to another function is still one parameter.
          B: policy([{ Action: 'ssm:GetParameter', Resource: arn('callhook/a') }]),
        },
      },
    ]);
    expect(items.parameters).toBe(2);
    const line = fixedCostLines(items).find((l) => l.item.startsWith('SSM parameters'));
    expect(line).toMatchObject({ count: 2, dollars: 0 });
  });

  it('counts the metrics a dashboard graphs, through the tokens in its body', () => {
    expect(
      dashboardMetricCount(
        stateless('AWS::EC2::Instance').Resources.Board.Properties.DashboardBody,
      ),
    ).toBe(2);
    expect(
      dashboardMetricCount('{"widgets":[{"type":"text","properties":{"markdown":"hi"}}]}'),
    ).toBe(0);
  });

  it("takes CloudWatch's free tier off: the first 10 alarm metrics and 3 dashboards of up to 50 metrics", () => {
    const items = countFixedItems([stateful, stateless('AWS::EC2::Instance')]);
    // Both alarms (1 + 3 metrics) and the dashboard: $0.40 + $3.00.
    expect(cloudWatchFreeTierLine(items).dollars).toBe(-3.4);
    const many = {
      ...items,
      alarms: { standard: 9, anomaly: 1 },
      dashboards: 2,
      dashboardMetrics: [51, 28],
    };
    // 10 of the 12 alarm metrics, and only the dashboard of 28 metrics.
    expect(cloudWatchFreeTierLine(many).dollars).toBe(-4);
    expect(totalOf([...fixedCostLines(many), cloudWatchFreeTierLine(many)])).toBeCloseTo(
      totalOf(fixedCostLines(many)) - 4,
      2,
    );
  });

  it("prices each SQS event source mapping's idle polling, and takes off SQS's free million requests", () => {
    const mapping = (arn: unknown) => ({
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { EventSourceArn: arn },
    });
    const template = (mappings: number) => ({
      Resources: {
        Queue: { Type: 'AWS::SQS::Queue' },
        Stream: { Type: 'AWS::Kinesis::Stream' },
        // Only a queue's mapping polls SQS: the stream's is not counted.
        Streamed: mapping({ 'Fn::GetAtt': ['Stream', 'Arn'] }),
        ...Object.fromEntries(
          Array.from({ length: mappings }, (_, i) => [
            `M${i}`,
            i === 0
              ? mapping('arn:aws:sqs:us-east-1:123456789012:q')
              : mapping({ 'Fn::GetAtt': ['Queue', 'Arn'] }),
          ]),
        ),
      },
    });
    // Each poller's long poll returns every SQS_LONG_POLL_SECONDS, all month long.
    const minutes = 60 * 730;
    expect(SQS_IDLE_REQUESTS_PER_MAPPING_MONTH).toBe(
      SQS_IDLE_POLLERS_PER_MAPPING * (60 / SQS_LONG_POLL_SECONDS) * minutes,
    );
    const perRequest = PRICES.sqs_per_million_requests / 1_000_000;
    const three = countFixedItems([template(3)]);
    expect(three.sqsEventSourceMappings).toBe(3);
    const line = fixedCostLines(three).find((l) => l.item.startsWith('SQS requests'));
    const requests = 3 * SQS_IDLE_REQUESTS_PER_MAPPING_MONTH;
    expect(line?.dollars).toBeCloseTo(requests * perRequest, 2);
    // More than the free tier: it takes off its whole million.
    expect(requests).toBeGreaterThan(PRICES.sqs_free_requests_per_month);
    expect(sqsFreeTierLine(three).dollars).toBeCloseTo(
      -PRICES.sqs_free_requests_per_month * perRequest,
      2,
    );
    // One mapping's polling fits in the free tier: it costs nothing there.
    const one = countFixedItems([template(1)]);
    const oneLine = fixedCostLines(one).find((l) => l.item.startsWith('SQS requests'));
    expect(sqsFreeTierLine(one).dollars).toBe(-(oneLine?.dollars ?? Number.NaN));
  });

  it('counts the metrics at their most: one per total, one per route for each by-route metric', () => {
    const items = countFixedItems([stateless('AWS::EC2::NatGateway')]);
    expect(customMetricsAtMost(items, 4)).toBe(5); // 1 + 1 × 4
    expect(metricsAtMost(items, 4).dollars).toBe(1.5); // 5 × $0.30
  });
});
