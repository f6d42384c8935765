import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { CallhookFunction } from './callhook-function.ts';

export interface ObservabilityProps {
  functions: Record<string, CallhookFunction>;
  deadLetterQueues: sqs.IQueue[];
  accounts: string[];
}

const NAMESPACE = 'callhook';

/** One metric counted from the functions' structured logs. */
interface LogMetric {
  name: string;
  functions: string[];
  pattern: logs.IFilterPattern;
  dimensions?: Record<string, string>;
}

/**
 * The call counts as metrics, derived from the structured logs by metric filters (the handlers
 * stay free of metrics code), the alarms an operator must see, and one dashboard.
 */
export class Observability extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const message = (text: string) => logs.FilterPattern.stringValue('$.message', '=', text);
    const metricField = (name: string) => logs.FilterPattern.stringValue('$.metric', '=', name);
    const counted: LogMetric[] = [
      { name: 'Accepted', functions: ['ingest'], pattern: message('call accepted') },
      { name: 'Duplicates', functions: ['ingest'], pattern: message('duplicate delivery') },
      {
        name: 'Skipped',
        functions: ['ingest'],
        pattern: metricField('EventSkipped'),
        dimensions: { Route: '$.route', Reason: '$.reason' },
      },
      { name: 'Placed', functions: ['dispatch'], pattern: message('call placed') },
      {
        name: 'Failed',
        functions: ['dispatch'],
        pattern: logs.FilterPattern.any(
          message('call failed'),
          message('call failed after retries'),
        ),
        dimensions: { Reason: '$.reason' },
      },
      { name: 'Unknown', functions: ['dispatch', 'sweeper'], pattern: metricField('CallUnknown') },
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
    ];
    const metrics = new Map<string, cloudwatch.Metric>();
    for (const metric of counted) {
      for (const fnName of metric.functions) {
        const fn = props.functions[fnName];
        if (fn === undefined) continue;
        // CloudWatch tells metrics apart by their dimensions: the metric the alarms and the
        // dashboard read has none, and a breakdown by reason is published beside it.
        new logs.MetricFilter(this, `${metric.name}-${fnName}`, {
          logGroup: fn.fn.logGroup,
          filterPattern: metric.pattern,
          metricNamespace: NAMESPACE,
          metricName: metric.name,
          metricValue: '1',
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

    const alarm = (id: string, description: string, source: cloudwatch.IMetric) => {
      const created = new cloudwatch.Alarm(this, id, {
        alarmDescription: description,
        metric: source,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      this.alarms.push(created);
      return created;
    };
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
      'DayPointsLow',
      "Less than 10% of the day's Call API points remain.",
      metric('DayPointsLow'),
    );

    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: 'callhook' });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Calls',
        left: ['Accepted', 'Duplicates', 'Skipped', 'Placed', 'Failed', 'Unknown'].map(metric),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Provider',
        left: ['DeferredForLimits', 'ProviderConfigErrors', 'DayPointsLow'].map(metric),
        width: 12,
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }),
    );
  }
}
