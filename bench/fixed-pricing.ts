import { PRICES } from './prices.ts';

export const HOURS_PER_MONTH = 730;
/** The Amazon Linux 2023 image's root volume, which the NAT instance keeps (gp3). */
export const NAT_INSTANCE_ROOT_GB = 8;
/**
 * VPC flow logs at rest: the sweeper's few connections a minute, one record per flow and
 * direction every 10 minutes, seen on the function's and the NAT's interfaces: about 10 MB a
 * month. An estimate, not a count; traffic adds about 100 bytes per connection.
 */
export const FLOW_LOG_GB_AT_REST = 0.01;

/**
 * Lambda polls the queue of each SQS event source mapping all the time, whether or not a message
 * comes, and each ReceiveMessage, an empty one too, is a billed SQS request (brefphp/bref#1760:
 * "the downside is that that creates continuous requests to SQS, and we are charged for those").
 * AWS does not say how many pollers an idle mapping keeps: the common estimate is five, each a
 * long poll of 20 seconds (the most SQS allows), which matches the about 15 empty receives a
 * minute per queue users see in CloudWatch (getlift/lift#132). An estimate, not a count.
 */
export const SQS_IDLE_POLLERS_PER_MAPPING = 5;
export const SQS_LONG_POLL_SECONDS = 20;
/** The requests one idle mapping makes in a month: 5 × 3 a minute × 43,800 minutes. */
export const SQS_IDLE_REQUESTS_PER_MAPPING_MONTH =
  SQS_IDLE_POLLERS_PER_MAPPING * (60 / SQS_LONG_POLL_SECONDS) * 60 * HOURS_PER_MONTH;

/** What a deployment holds that costs by the month whether or not a webhook arrives. */
export interface FixedItems {
  natGateways: number;
  /** Elastic IPs the stateful stack holds, or the allocations it was given. */
  publicIpv4: number;
  natInstances: number;
  /** Standard alarms, and anomaly-detection ones (each billed as three). */
  alarms: { standard: number; anomaly: number };
  dashboards: number;
  /** The metrics each dashboard graphs: one of up to 50 is within the free tier. */
  dashboardMetrics: number[];
  secrets: number;
  /**
   * The SSM parameters the functions may read (`secretStore=parameter-store`): standard-tier
   * `SecureString` parameters under the AWS-managed key, which cost nothing at rest. Counted from
   * the roles' `ssm:GetParameter` grants, as the operator puts them and no template creates them.
   */
  parameters: number;
  kmsKeys: number;
  flowLogs: number;
  /** Lambda event source mappings that poll an SQS queue: see `SQS_IDLE_POLLERS_PER_MAPPING`. */
  sqsEventSourceMappings: number;
  /** AWS WAF web ACLs, and the rules they hold (a managed rule group is one). */
  waf: { webAcls: number; rules: number };
  /** Custom metrics the metric filters publish: see `customMetricsAtMost`. */
  metrics: {
    /** Without dimensions: one metric each. */
    plain: number;
    /** With a `Route` dimension: one metric per route each. */
    perRoute: number;
    /** With other dimensions (a reason): one per value seen, unknown in advance. */
    perValue: number;
  };
}

type Template = {
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
};

const resourcesOf = (templates: Template[]) =>
  templates.flatMap((template) => Object.values(template.Resources ?? {}));

/** A dashboard widget, as its body describes it. */
export interface DashboardWidget {
  type?: string;
  properties?: { title?: string; metrics?: unknown[] };
}

/**
 * A dashboard's widgets. Its body is JSON joined with the tokens CloudFormation fills in (the
 * region, alarms' ARNs); with each token as a placeholder string, it parses.
 */
export const dashboardWidgets = (body: unknown): DashboardWidget[] => {
  if (body === undefined) return [];
  const parts = (body as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join']?.[1] ?? [body];
  const text = parts.map((part) => (typeof part === 'string' ? part : 'token')).join('');
  return (JSON.parse(text) as { widgets?: DashboardWidget[] }).widgets ?? [];
};

/** The metrics a dashboard's widgets graph. */
export const dashboardMetricCount = (body: unknown): number =>
  dashboardWidgets(body).reduce(
    (sum, widget) => sum + (widget.properties?.metrics?.length ?? 0),
    0,
  );

/** The parameters the roles may `ssm:GetParameter`, each once however many functions read it. */
const parametersGranted = (resources: { Type: string; Properties?: Record<string, unknown> }[]) => {
  const granted = new Set<string>();
  for (const policy of resources.filter((r) => r.Type === 'AWS::IAM::Policy')) {
    const document = policy.Properties?.PolicyDocument as
      | { Statement?: { Action: unknown; Resource: unknown }[] }
      | undefined;
    for (const statement of document?.Statement ?? []) {
      if (![statement.Action].flat().includes('ssm:GetParameter')) continue;
      for (const resource of [statement.Resource].flat()) granted.add(JSON.stringify(resource));
    }
  }
  return granted.size;
};

/**
 * The event source mappings whose source is a queue: its ARN taken from a queue of the same
 * template (`Fn::GetAtt`), or written out (`arn:…:sqs:…`).
 */
const sqsEventSourceMappings = (templates: Template[]): number =>
  templates.reduce((sum, template) => {
    const resources = template.Resources ?? {};
    const isQueueArn = (arn: unknown): boolean => {
      if (typeof arn === 'string') return /^arn:[^:]+:sqs:/.test(arn);
      const [id] = (arn as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'] ?? [];
      return id !== undefined && resources[id]?.Type === 'AWS::SQS::Queue';
    };
    return (
      sum +
      Object.values(resources).filter(
        (r) =>
          r.Type === 'AWS::Lambda::EventSourceMapping' && isQueueArn(r.Properties?.EventSourceArn),
      ).length
    );
  }, 0);

/** Counts the items from the synthesized templates (both stacks). */
export const countFixedItems = (templates: Template[], allocationsGiven = 0): FixedItems => {
  const resources = resourcesOf(templates);
  const count = (type: string) => resources.filter((r) => r.Type === type).length;
  const alarms = resources.filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
  const anomaly = alarms.filter((r) =>
    JSON.stringify(r.Properties?.Metrics ?? []).includes('ANOMALY_DETECTION_BAND'),
  ).length;
  const metrics = new Map<string, string[]>();
  for (const filter of resources.filter((r) => r.Type === 'AWS::Logs::MetricFilter')) {
    const transformations = (filter.Properties?.MetricTransformations ?? []) as {
      MetricName: string;
      Dimensions?: { Key: string }[];
    }[];
    for (const t of transformations) {
      metrics.set(t.MetricName, (t.Dimensions ?? []).map((d) => d.Key).sort());
    }
  }
  const dimensions = [...metrics.values()];
  return {
    natGateways: count('AWS::EC2::NatGateway'),
    publicIpv4: count('AWS::EC2::EIP') + allocationsGiven,
    natInstances: count('AWS::EC2::Instance'),
    alarms: { standard: alarms.length - anomaly, anomaly },
    dashboards: count('AWS::CloudWatch::Dashboard'),
    dashboardMetrics: resources
      .filter((r) => r.Type === 'AWS::CloudWatch::Dashboard')
      .map((r) => dashboardMetricCount(r.Properties?.DashboardBody)),
    secrets: count('AWS::SecretsManager::Secret'),
    parameters: parametersGranted(resources),
    kmsKeys: count('AWS::KMS::Key'),
    flowLogs: count('AWS::EC2::FlowLog'),
    sqsEventSourceMappings: sqsEventSourceMappings(templates),
    waf: {
      webAcls: count('AWS::WAFv2::WebACL'),
      rules: resources
        .filter((r) => r.Type === 'AWS::WAFv2::WebACL')
        .reduce((sum, r) => sum + ((r.Properties?.Rules as unknown[] | undefined)?.length ?? 0), 0),
    },
    metrics: {
      plain: dimensions.filter((keys) => keys.length === 0).length,
      perRoute: dimensions.filter((keys) => keys.length === 1 && keys[0] === 'Route').length,
      perValue: dimensions.filter(
        (keys) => keys.length > 0 && !(keys.length === 1 && keys[0] === 'Route'),
      ).length,
    },
  };
};

/** The custom metrics billed while every one receives data each hour (the per-reason ones aside). */
export const customMetricsAtMost = (items: FixedItems, routes: number): number =>
  items.metrics.plain + items.metrics.perRoute * routes;

export interface FixedCostLine {
  item: string;
  count: number;
  /** The unit price and its unit, for the table. */
  price: string;
  dollars: number;
  /** What the count alone does not say (an anomaly-detection alarm billed as three). */
  note?: string;
}

const cents = (value: number) => Math.round(value * 100) / 100;

/** A unit price as the docs write it: cents at least (`$0.40`), more digits where it has them. */
export const usd = (price: number): string =>
  `$${price.toFixed(Math.max(2, String(price).split('.')[1]?.length ?? 0))}`;

/** A count as the docs write it: `657,000`. */
const thousands = (value: number) => value.toLocaleString('en-US');

const perRequest = (perMillion: number) => perMillion / 1_000_000;

/** The SQS requests the event source mappings make at rest (an estimate). */
export const sqsIdleRequests = (items: FixedItems): number =>
  items.sqsEventSourceMappings * SQS_IDLE_REQUESTS_PER_MAPPING_MONTH;

/** The alarm metrics CloudWatch bills: an anomaly-detection alarm is three. */
export const alarmMetricsOf = (items: FixedItems): number =>
  items.alarms.standard + 3 * items.alarms.anomaly;

/**
 * Dollars a month, item by item, at the list prices in `prices.ts`. The metrics line is the most
 * they cost (each billed only in hours it receives data: nothing at rest).
 */
export const fixedCostLines = (items: FixedItems): FixedCostLine[] => {
  const hourly = (perHour: number) => perHour * HOURS_PER_MONTH;
  const lines: FixedCostLine[] = [
    {
      item: 'NAT gateway',
      count: items.natGateways,
      price: `${usd(PRICES.nat_gateway_per_hour)}/h`,
      dollars: items.natGateways * hourly(PRICES.nat_gateway_per_hour),
    },
    {
      item: 'NAT instance (t4g.nano)',
      count: items.natInstances,
      price: `${usd(PRICES.ec2_t4g_nano_per_hour)}/h`,
      dollars: items.natInstances * hourly(PRICES.ec2_t4g_nano_per_hour),
    },
    {
      item: `its root volume (gp3, ${NAT_INSTANCE_ROOT_GB} GB)`,
      count: items.natInstances,
      price: `${usd(PRICES.ebs_gp3_per_gb_month)}/GB-month`,
      dollars: items.natInstances * NAT_INSTANCE_ROOT_GB * PRICES.ebs_gp3_per_gb_month,
    },
    {
      item: 'public IPv4 address (the Elastic IPs)',
      count: items.publicIpv4,
      price: `${usd(PRICES.public_ipv4_per_hour)}/h`,
      dollars: items.publicIpv4 * hourly(PRICES.public_ipv4_per_hour),
    },
    {
      item: 'secrets',
      count: items.secrets,
      price: `${usd(PRICES.secrets_manager_per_secret_month)}/month`,
      dollars: items.secrets * PRICES.secrets_manager_per_secret_month,
    },
    {
      item: 'SSM parameters (SecureString, standard tier, the aws/ssm key)',
      count: items.parameters,
      price: `${usd(PRICES.ssm_standard_parameter_per_month)}/month`,
      dollars: items.parameters * PRICES.ssm_standard_parameter_per_month,
    },
    {
      item: 'alarms (an anomaly-detection alarm counts three)',
      count: items.alarms.standard + items.alarms.anomaly,
      price: `${usd(PRICES.cloudwatch_alarm_per_month)}/month`,
      dollars: alarmMetricsOf(items) * PRICES.cloudwatch_alarm_per_month,
      ...(items.alarms.anomaly > 0 && { note: `${alarmMetricsOf(items)} alarm metrics` }),
    },
    {
      item: 'dashboard',
      count: items.dashboards,
      price: `${usd(PRICES.cloudwatch_dashboard_per_month)}/month`,
      dollars: items.dashboards * PRICES.cloudwatch_dashboard_per_month,
    },
    {
      item: `VPC flow logs at rest (about ${FLOW_LOG_GB_AT_REST * 1000} MB a month, estimated)`,
      count: items.flowLogs,
      price: `${usd(PRICES.cloudwatch_vended_logs_per_gb)}/GB`,
      dollars: items.flowLogs * FLOW_LOG_GB_AT_REST * PRICES.cloudwatch_vended_logs_per_gb,
    },
    {
      item: `SQS requests of idle polling (${SQS_IDLE_POLLERS_PER_MAPPING} pollers a queue, a ${SQS_LONG_POLL_SECONDS} s long poll each: about ${thousands(SQS_IDLE_REQUESTS_PER_MAPPING_MONTH)} a month, estimated)`,
      count: items.sqsEventSourceMappings,
      price: `${usd(PRICES.sqs_per_million_requests)}/million`,
      dollars: sqsIdleRequests(items) * perRequest(PRICES.sqs_per_million_requests),
    },
    {
      item: 'KMS customer keys',
      count: items.kmsKeys,
      price: `${usd(PRICES.kms_customer_key_per_month)}/month`,
      dollars: items.kmsKeys * PRICES.kms_customer_key_per_month,
    },
    {
      item: 'AWS WAF web ACL',
      count: items.waf.webAcls,
      price: `${usd(PRICES.waf_web_acl_per_month)}/month`,
      dollars: items.waf.webAcls * PRICES.waf_web_acl_per_month,
    },
    {
      item: 'its rules (a managed rule group counts one)',
      count: items.waf.rules,
      price: `${usd(PRICES.waf_rule_per_month)}/month`,
      dollars: items.waf.rules * PRICES.waf_rule_per_month,
    },
  ];
  return lines.map((line) => ({ ...line, dollars: cents(line.dollars) }));
};

/** The custom metrics at their most, apart: they cost only while calls flow. */
export const metricsAtMost = (items: FixedItems, routes: number): FixedCostLine => {
  const count = customMetricsAtMost(items, routes);
  return {
    item: `custom metrics, while all receive data (${items.metrics.plain} totals + ${items.metrics.perRoute} per route; the ${items.metrics.perValue} by reason add one per reason seen)`,
    count,
    price: `${usd(PRICES.cloudwatch_custom_metric_per_month)}/month`,
    dollars: cents(count * PRICES.cloudwatch_custom_metric_per_month),
  };
};

export const totalOf = (lines: FixedCostLine[]) =>
  cents(lines.reduce((total, line) => total + line.dollars, 0));

/**
 * What CloudWatch's free tier takes off, when the account has room for it: its first 10 alarm
 * metrics and its first 3 dashboards (of up to 50 metrics) are not billed. Another deployment in
 * the account (a second stage) or the account's own alarms and dashboards use the same room.
 */
export const cloudWatchFreeTierLine = (items: FixedItems): FixedCostLine => {
  const freeAlarms = Math.min(alarmMetricsOf(items), PRICES.cloudwatch_free_alarm_metrics);
  const freeDashboards = Math.min(
    items.dashboardMetrics.filter((n) => n <= PRICES.cloudwatch_free_dashboard_metrics).length,
    PRICES.cloudwatch_free_dashboards,
  );
  return {
    item: `CloudWatch's free tier, when the account has room (${PRICES.cloudwatch_free_alarm_metrics} alarm metrics, ${PRICES.cloudwatch_free_dashboards} dashboards of up to ${PRICES.cloudwatch_free_dashboard_metrics} metrics)`,
    // What it covers here, in alarm metrics and dashboards alike.
    count: freeAlarms + freeDashboards,
    price: 'free',
    dollars: -cents(
      freeAlarms * PRICES.cloudwatch_alarm_per_month +
        freeDashboards * PRICES.cloudwatch_dashboard_per_month,
    ),
  };
};

/**
 * What SQS's always-free tier takes off, when the account has room for it: its first million
 * requests a month, here the idle polling's. Per account, like CloudWatch's: another deployment
 * or the account's own queues use the same million.
 */
export const sqsFreeTierLine = (items: FixedItems): FixedCostLine => {
  const covered = Math.min(sqsIdleRequests(items), PRICES.sqs_free_requests_per_month);
  return {
    item: `SQS's free tier, when the account has room (${thousands(PRICES.sqs_free_requests_per_month)} requests a month)`,
    count: covered,
    price: 'free',
    dollars: -cents(covered * perRequest(PRICES.sqs_per_million_requests)),
  };
};

/** Every free tier the fixed cost draws on, each when the account has room for it. */
export const freeTierLines = (items: FixedItems): FixedCostLine[] => [
  cloudWatchFreeTierLine(items),
  sqsFreeTierLine(items),
];
