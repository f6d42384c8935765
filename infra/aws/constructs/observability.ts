import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LIFECYCLE, METRICS } from '../../../shared/calls/lifecycle.ts';
import { dashboardName, stagedName } from '../stage-names.ts';
import type { CallhookFunction } from './callhook-function.ts';

export interface ObservabilityProps {
  functions: Record<string, CallhookFunction>;
  deadLetterQueues: sqs.IQueue[];
  accounts: string[];
  /** The config's route names: one line each on the dashboard's per-route graphs. */
  routes: string[];
  /**
   * The routes with a speed-to-lead target, each with the share of calls meeting it below which
   * the alarm topic hears (`target.alert_below`).
   */
  leadTargets?: Record<string, number>;
  /** Subscribed to the alarm topic, when given. */
  alarmEmail?: string | undefined;
  /** The NAT instances (`-c callhook:egress=nat-instance`): each recovered when it fails. */
  natInstances?: ec2.Instance[];
  /** The deployment's stage, in the dashboard's and the topic's names. */
  stage?: string | undefined;
  /** Whether to make the dashboard (default: yes). */
  dashboard?: boolean;
  /** Whether to make the alarm on skips above their usual rate (default: yes). */
  anomalyAlarm?: boolean;
}

const NAMESPACE = 'callhook';

/** One metric counted from the functions' structured logs. */
interface LogMetric {
  name: string;
  functions: string[];
  pattern: logs.IFilterPattern;
  /** Also published as `<name>ByReason` with these dimensions. */
  dimensions?: Record<string, string>;
  /** Also published as `<name>ByRoute` with the line's `route` as its `Route` dimension. */
  byRoute?: boolean;
  /** Published (without dimensions) for every log line that does not match: a dense metric. */
  defaultValue?: number;
}

/** The figures the dashboard shows route by route, each a `<name>ByRoute` metric. */
const PER_ROUTE = [
  'Accepted',
  'Placed',
  'Redialled',
  'Completed',
  'Failed',
  'Unknown',
  'Skipped',
] as const;

/**
 * The call counts as metrics, derived from the structured logs by metric filters (the handlers
 * stay free of metrics code), the alarms an operator must see, the SNS topic every alarm
 * notifies, and one dashboard.
 */
export class Observability extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  /** Every alarm's state changes (to ALARM and back to OK) are published here. */
  readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const message = (text: string) => logs.FilterPattern.stringValue('$.message', '=', text);
    const metricField = (name: string) => logs.FilterPattern.stringValue('$.metric', '=', name);
    const counted: LogMetric[] = [
      { name: 'Accepted', functions: ['ingest'], pattern: message('call accepted'), byRoute: true },
      { name: 'Duplicates', functions: ['ingest'], pattern: message('duplicate delivery') },
      {
        name: 'Skipped',
        functions: ['ingest'],
        pattern: metricField('EventSkipped'),
        dimensions: { Route: '$.route', Reason: '$.reason' },
        byRoute: true,
        // Zeros between skips, so the anomaly model learns the quiet hours too.
        defaultValue: 0,
      },
      {
        name: 'Placed',
        functions: ['dispatch'],
        pattern: message(LIFECYCLE.place.log.message),
        byRoute: true,
      },
      {
        // Ended as the provider notified (events) or as a report said (the sweeper).
        name: 'Completed',
        functions: ['events', 'sweeper'],
        pattern: metricField(METRICS.completed),
        byRoute: true,
      },
      {
        name: 'Failed',
        functions: ['dispatch', 'sweeper'],
        pattern: logs.FilterPattern.any(
          message(LIFECYCLE.sendRefused.log.message),
          message(LIFECYCLE.sendGaveUp.log.message),
        ),
        dimensions: { Reason: '$.reason' },
        byRoute: true,
      },
      {
        name: 'Unknown',
        functions: ['dispatch', 'sweeper'],
        pattern: metricField(METRICS.unknown),
        byRoute: true,
      },
      {
        name: 'DeferredForLimits',
        functions: ['dispatch'],
        pattern: message('call deferred for limits'),
      },
      {
        name: 'ProviderConfigErrors',
        functions: ['dispatch'],
        pattern: logs.FilterPattern.any(
          logs.FilterPattern.stringValue('$.classification', '=', 'config'),
          logs.FilterPattern.stringValue('$.classification', '=', 'auth'),
        ),
        dimensions: { Reason: '$.reason' },
      },
      { name: 'DayPointsLow', functions: ['dispatch'], pattern: metricField('DayPointsLow') },
      {
        name: 'CallbacksAbandoned',
        functions: ['callbacks'],
        pattern: metricField('CallbackAbandoned'),
      },
      // A redial the sweeper scheduled after the provider reported nobody answered.
      {
        name: 'Redialled',
        functions: ['sweeper'],
        pattern: metricField(METRICS.redialled),
        byRoute: true,
      },
      // A report look the Data API refused for a reason no wait cures (its key, the account).
      { name: 'DataApiFailed', functions: ['sweeper'], pattern: metricField('DataApiFailed') },
    ];
    const metrics = new Map<string, cloudwatch.Metric>();
    for (const metric of counted) {
      for (const fnName of metric.functions) {
        const fn = props.functions[fnName];
        if (fn === undefined) continue;
        // CloudWatch tells metrics apart by their dimensions: the metric the alarms and the
        // dashboard read has none, and the breakdowns by reason and by route are published
        // beside it under names of their own.
        new logs.MetricFilter(this, `${metric.name}-${fnName}`, {
          logGroup: fn.fn.logGroup,
          filterPattern: metric.pattern,
          metricNamespace: NAMESPACE,
          metricName: metric.name,
          metricValue: '1',
          ...(metric.defaultValue !== undefined && { defaultValue: metric.defaultValue }),
        });
        if (metric.dimensions !== undefined) {
          new logs.MetricFilter(this, `${metric.name}ByReason-${fnName}`, {
            logGroup: fn.fn.logGroup,
            filterPattern: metric.pattern,
            metricNamespace: NAMESPACE,
            metricName: `${metric.name}ByReason`,
            metricValue: '1',
            dimensions: metric.dimensions,
          });
        }
        if (metric.byRoute === true) {
          new logs.MetricFilter(this, `${metric.name}ByRoute-${fnName}`, {
            logGroup: fn.fn.logGroup,
            filterPattern: metric.pattern,
            metricNamespace: NAMESPACE,
            metricName: `${metric.name}ByRoute`,
            metricValue: '1',
            dimensions: { Route: '$.route' },
          });
        }
      }
      metrics.set(
        metric.name,
        new cloudwatch.Metric({
          namespace: NAMESPACE,
          metricName: metric.name,
          statistic: 'Sum',
          period: Duration.minutes(5),
        }),
      );
    }
    const metric = (name: string) => metrics.get(name) as cloudwatch.Metric;

    // The time from `call accepted` to `call placed`, which the placed line carries.
    const dispatchFn = props.functions.dispatch;
    if (dispatchFn !== undefined) {
      new logs.MetricFilter(this, 'AcceptedToPlaced-dispatch', {
        logGroup: dispatchFn.fn.logGroup,
        filterPattern: logs.FilterPattern.all(
          message('call placed'),
          logs.FilterPattern.exists('$.accepted_to_placed_ms'),
        ),
        metricNamespace: NAMESPACE,
        metricName: 'AcceptedToPlaced',
        metricValue: '$.accepted_to_placed_ms',
        unit: cloudwatch.Unit.MILLISECONDS,
      });
    }
    const acceptedToPlaced = (statistic: string) =>
      new cloudwatch.Metric({
        namespace: NAMESPACE,
        metricName: 'AcceptedToPlaced',
        statistic,
        period: Duration.minutes(5),
        label: `accepted → placed ${statistic}`,
      });

    // Not encrypted with a KMS key: CloudWatch cannot publish to a topic under the AWS-managed
    // key (its key policy does not let cloudwatch.amazonaws.com use it), and a customer key
    // costs $1 a month for notifications that carry no secret (nag-acknowledgements.ts).
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: stagedName('callhook alarms', props.stage),
      enforceSSL: true,
    });
    const stack = Stack.of(this);
    // The topic policy enforceSSL writes replaces SNS's default one: allow this account's alarms.
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowThisAccountsAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    if (props.alarmEmail !== undefined) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }
    const notify = new actions.SnsAction(this.alarmTopic);
    const track = <T extends cloudwatch.Alarm>(created: T): T => {
      created.addAlarmAction(notify);
      // An OK message too, so whoever was woken learns that it is over.
      created.addOkAction(notify);
      this.alarms.push(created);
      return created;
    };

    const alarm = (id: string, description: string, source: cloudwatch.IMetric) =>
      track(
        new cloudwatch.Alarm(this, id, {
          alarmDescription: description,
          metric: source,
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    props.deadLetterQueues.forEach((queue, i) => {
      alarm(
        `DeadLetters${i + 1}`,
        `Messages in ${queue.node.id}: a call or callback failed on every delivery`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      );
    });
    alarm(
      'Unknown',
      'A call ended unknown: it may or may not have rung. Decide and retry.',
      metric('Unknown'),
    );
    alarm(
      'ProviderConfig',
      'The provider refused the account (ip_not_whitelisted, component, key): calls are failing.',
      metric('ProviderConfigErrors'),
    );
    alarm(
      'DataApiFailed',
      'The Data API refused a report (its key, the account): outcomes are not learned and no call is redialled.',
      metric('DataApiFailed'),
    );
    alarm(
      'DayPointsLow',
      "Less than 10% of the day's Call API points remain.",
      metric('DayPointsLow'),
    );
    if (props.anomalyAlarm !== false) {
      // What counts as many skips differs by shop and by hour, so the band is learned from the
      // metric's own history (two weeks to settle) rather than set here; three 5-minute periods
      // in a row above it (a sender's payload changed, a flood of test events), not one burst.
      track(
        new cloudwatch.AnomalyDetectionAlarm(this, 'SkippedAboveUsual', {
          alarmDescription:
            'More events skipped than usual for 15 minutes: a sender changed its payload, or numbers are refused.',
          metric: metric('Skipped'),
          stdDevs: 3,
          evaluationPeriods: 3,
          datapointsToAlarm: 3,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    const sweeper = props.functions.sweeper;
    if (sweeper !== undefined) {
      // Scheduled every minute: no invocation in 5 minutes means the schedule or the function is
      // gone, and no data at all is the same thing.
      track(
        new cloudwatch.Alarm(this, 'SweeperNotRunning', {
          alarmDescription:
            'The sweeper has not run for 5 minutes: scheduled calls wait, lost messages and expired leases stay.',
          metric: sweeper.fn.metricInvocations({ period: Duration.minutes(5), statistic: 'Sum' }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        }),
      );
    }

    // Speed to lead: each call's first answer says whether it met its route's target (1 or 0,
    // logged by the store that wrote the answer, in whichever function did); the average over
    // an hour is the share that met it.
    const leadFunctions = ['events', 'sweeper', 'dispatch', 'calls'];
    for (const fnName of leadFunctions) {
      const fn = props.functions[fnName];
      if (fn === undefined || Object.keys(props.leadTargets ?? {}).length === 0) continue;
      new logs.MetricFilter(this, `SpeedToLeadMet-${fnName}`, {
        logGroup: fn.fn.logGroup,
        filterPattern: logs.FilterPattern.all(
          message('speed to lead'),
          logs.FilterPattern.exists('$.met'),
        ),
        metricNamespace: NAMESPACE,
        metricName: 'SpeedToLeadMet',
        metricValue: '$.met',
        dimensions: { Route: '$.route' },
      });
    }
    for (const [route, alertBelow] of Object.entries(props.leadTargets ?? {})) {
      track(
        new cloudwatch.Alarm(this, `SpeedToLead-${route}`, {
          alarmDescription: `Route ${route}: under ${Math.round(alertBelow * 100)}% of the calls that talked in the last hour reached the customer within the route's target.`,
          metric: new cloudwatch.Metric({
            namespace: NAMESPACE,
            metricName: 'SpeedToLeadMet',
            dimensionsMap: { Route: route },
            statistic: 'Average',
            period: Duration.hours(1),
          }),
          threshold: alertBelow,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          // An hour without a call that talked says nothing about speed.
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    const byRoute = (name: string) =>
      props.routes.map(
        (route) =>
          new cloudwatch.Metric({
            namespace: NAMESPACE,
            metricName: `${name}ByRoute`,
            dimensionsMap: { Route: route },
            statistic: 'Sum',
            period: Duration.minutes(5),
            label: route,
          }),
      );
    (props.natInstances ?? []).forEach((instance, i) => {
      this.#recoverNatInstance(instance, i + 1, track);
    });

    if (props.dashboard === false) return;
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: dashboardName(props.stage),
    });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Calls',
        left: [
          'Accepted',
          'Duplicates',
          'Skipped',
          'Placed',
          'Redialled',
          'Completed',
          'Failed',
          'Unknown',
        ].map(metric),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Provider',
        left: ['DeferredForLimits', 'ProviderConfigErrors', 'DataApiFailed', 'DayPointsLow'].map(
          metric,
        ),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Accepted → placed (ms)',
        left: [acceptedToPlaced('p50'), acceptedToPlaced('p95')],
        width: 12,
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 12 }),
    );
    dashboard.addWidgets(
      ...PER_ROUTE.map(
        (name) =>
          new cloudwatch.GraphWidget({ title: `${name} by route`, left: byRoute(name), width: 8 }),
      ),
    );
  }

  /**
   * A NAT instance is the one way out for the calls: EC2 recovers it onto other hardware when
   * AWS's host fails (the system check) and reboots it when the instance itself stops answering
   * (its own check), and whoever is subscribed hears both.
   */
  #recoverNatInstance(
    instance: ec2.Instance,
    n: number,
    track: (alarm: cloudwatch.Alarm) => cloudwatch.Alarm,
  ): void {
    const check = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/EC2',
        metricName,
        dimensionsMap: { InstanceId: instance.instanceId },
        statistic: 'Maximum',
        period: Duration.minutes(1),
      });
    const checks = [
      [
        'System',
        'AWS hardware or network under it failed: EC2 moves it to another host.',
        'RECOVER',
      ],
      ['Instance', 'It stopped answering its status check: EC2 reboots it.', 'REBOOT'],
    ] as const;
    for (const [kind, description, action] of checks) {
      const alarm = track(
        new cloudwatch.Alarm(this, `NatInstance${n}${kind}Check`, {
          alarmDescription: `NAT instance ${n} failed its ${kind.toLowerCase()} status check, so calls cannot leave. ${description}`,
          metric: check(`StatusCheckFailed_${kind}`),
          threshold: 1,
          evaluationPeriods: 2,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.MISSING,
        }),
      );
      alarm.addAlarmAction(new actions.Ec2Action(actions.Ec2InstanceAction[action]));
    }
  }
}
