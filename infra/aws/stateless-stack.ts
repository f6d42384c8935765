import { Aspects, CfnOutput, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { BROWSER_API_GUARDED_ENV } from '../../functions/http/api-event.ts';
import { CALLBACK_BATCHING } from '../../shared/callbacks/callback-batching.ts';
import { browserRouteNames } from '../../shared/config/browser-routes.ts';
import type { CallhookConfig } from '../../shared/config/schema.ts';
import { numberingForConfig } from '../../shared/routes/numbering-for.ts';
import { OWN_KEYS_SECRET } from '../../shared/secrets/own-keys.ts';
import { SECRET_NAME_PREFIX_ENV } from '../../shared/secrets/prefixed-secret-store.ts';
import { type ApiFunction, httpApiRoutes } from '../api-routes.ts';
import { compiledDefine } from '../bundling.ts';
import { buildConsoleAssets, consoleDefine } from '../console-assets.ts';
import { buildWidgetAssets, widgetDefine } from '../widget-assets.ts';
import { BrowserApi } from './constructs/browser-api.ts';
import { CallhookFunction, type SecretGrants } from './constructs/callhook-function.ts';
import { EgressNetwork } from './constructs/egress-network.ts';
import { Observability } from './constructs/observability.ts';
import { secretNeeds } from './secret-needs.ts';
import type { DeploySettings } from './settings.ts';
import { secretNamePrefix, stagedName } from './stage-names.ts';
import type { StatefulStack } from './stateful-stack.ts';

export interface StatelessStackProps extends StackProps {
  config: CallhookConfig;
  settings: DeploySettings;
  stateful: StatefulStack;
}

const FUNCTION_TIMEOUT = Duration.seconds(30);

/** Functions, API, queues and schedules: replaceable at will around the stateful stack. */
export class StatelessStack extends Stack {
  readonly functions: Record<string, CallhookFunction>;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { settings, stateful } = props;
    const retention = settings.logRetentionDays as logs.RetentionDays;
    const network =
      settings.egress === 'none'
        ? undefined
        : new EgressNetwork(this, 'Network', {
            egress: settings.egress,
            natGateways: settings.natGateways,
            eipAllocationIds: stateful.eipAllocationIds,
            logRetention: retention,
          });
    // With `egress: none` every function runs outside a VPC.
    const inVpc =
      network === undefined
        ? undefined
        : { vpc: network.vpc, securityGroup: network.securityGroup };

    const queue = (name: string) => {
      const deadLetters = new sqs.Queue(this, `${name}DeadLetters`, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      return {
        deadLetters,
        queue: new sqs.Queue(this, name, {
          encryption: sqs.QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          // AWS's advice for Lambda consumers: six times the function timeout.
          visibilityTimeout: Duration.seconds(FUNCTION_TIMEOUT.toSeconds() * 6),
          deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
        }),
      };
    };
    const dispatchQueue = queue('DispatchQueue');
    const callbackQueue = queue('CallbackQueue');

    // Each name where the stateful stack keeps it: a parameter with `parameter-store` (the
    // config's secrets), else a Secrets Manager secret (`callhook/keys` always).
    const secrets = (names: string[]): SecretGrants => {
      const grants: SecretGrants = { store: settings.secretStore, secrets: [], parameters: [] };
      for (const name of names) {
        const parameter = stateful.parameters.get(name);
        const secret = stateful.secrets.get(name);
        if (parameter !== undefined) grants.parameters.push(parameter);
        else if (secret !== undefined) grants.secrets.push(secret);
        else throw new Error(`no secret named ${name}`);
      }
      return grants;
    };
    const needs = secretNeeds(props.config);
    const define = compiledDefine(props.config, numberingForConfig(props.config));
    const make = (name: string, vpc: boolean) =>
      new CallhookFunction(this, name, {
        name,
        define,
        timeout: FUNCTION_TIMEOUT,
        logRetention: retention,
        ...(vpc && inVpc !== undefined && { vpc: inVpc }),
      })
        // Every function that changes a call may queue its status callback.
        .useTable('calls', stateful.tables.calls)
        .sendsTo(callbackQueue.queue, 'CALLBACK_QUEUE_URL');

    const ingest = make('ingest', false)
      .useTable('contacts', stateful.tables.contacts)
      .sendsTo(dispatchQueue.queue, 'DISPATCH_QUEUE_URL')
      .readsSecrets(secrets([...needs.senders, OWN_KEYS_SECRET]));
    const dispatch = make('dispatch', true)
      .useTable('limits', stateful.tables.limits)
      .sendsTo(dispatchQueue.queue, 'DISPATCH_QUEUE_URL')
      .readsSecrets(secrets(needs.accounts));
    const sweeper = make('sweeper', true)
      // Reconciliation's list.calls draws on the same points budget as dispatch, the reports
      // on each account's Data API budget beside it.
      .useTable('limits', stateful.tables.limits)
      // A redial is charged to the per-number cap, as ingest charges a first call.
      .useTable('contacts', stateful.tables.contacts)
      .sendsTo(dispatchQueue.queue, 'DISPATCH_QUEUE_URL')
      .readsSecrets(secrets([...needs.accounts, ...needs.reports, OWN_KEYS_SECRET]));
    const calls = make('calls', true)
      // Call again is counted by the per-number cap; a search by number reads its counts.
      .useTable('contacts', stateful.tables.contacts)
      .sendsTo(dispatchQueue.queue, 'DISPATCH_QUEUE_URL')
      .readsSecrets(secrets([...needs.accounts, OWN_KEYS_SECRET]));
    const eventsFn = make('events', false)
      // An inbound call finds the calls to its number in the per-number counts.
      .useTable('contacts', stateful.tables.contacts)
      .readsSecrets(secrets([...needs.events, OWN_KEYS_SECRET]));
    const deadLetter = make('dead-letter', false);
    const callbacks = new CallhookFunction(this, 'callbacks', {
      name: 'callbacks',
      define,
      timeout: FUNCTION_TIMEOUT,
      logRetention: retention,
    })
      // It notes each delivery in the call's record, for the timeline.
      .updatesItemsOf('calls', stateful.tables.calls)
      .sendsTo(callbackQueue.queue, 'CALLBACK_QUEUE_URL')
      .readsSecrets(secrets(needs.callbacks));
    const health = new CallhookFunction(this, 'health', {
      name: 'health',
      define,
      timeout: Duration.seconds(5),
      logRetention: retention,
      memorySize: 128,
    });
    // The web console's static files, compiled into its bundle: no table, no secret, no VPC,
    // and not the config either (the page learns everything from the API, with the key).
    const consoleFn = new CallhookFunction(this, 'console', {
      name: 'console',
      define: consoleDefine(buildConsoleAssets()),
      timeout: Duration.seconds(5),
      logRetention: retention,
      memorySize: 128,
    });
    // The "call me back" widget's files and a browser route's public form settings: the
    // config (for the routes' hours and site keys), no table, no secret, no VPC.
    const widgetFn = new CallhookFunction(this, 'widget', {
      name: 'widget',
      define: { ...define, ...widgetDefine(buildWidgetAssets()) },
      timeout: Duration.seconds(5),
      logRetention: retention,
      memorySize: 128,
    });
    // `npm run doctor` invokes it directly (no route): in the VPC, so its one request per
    // account leaves through the egress IPs; it reads the accounts' secrets and no table.
    const probe = new CallhookFunction(this, 'probe', {
      name: 'probe',
      define,
      timeout: FUNCTION_TIMEOUT,
      logRetention: retention,
      ...(inVpc !== undefined && { vpc: inVpc }),
    }).readsSecrets(secrets(needs.accounts));
    if (stateful.egressIps.length > 0) {
      probe.fn.addEnvironment('EGRESS_IPS', Fn.join(',', stateful.egressIps));
    }

    dispatch.fn.addEventSource(
      new SqsEventSource(dispatchQueue.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        maxConcurrency: settings.dispatchMaxConcurrency,
      }),
    );
    deadLetter.fn.addEventSource(
      new SqsEventSource(dispatchQueue.deadLetters, {
        batchSize: 10,
        reportBatchItemFailures: true,
        maxConcurrency: 2,
      }),
    );
    callbacks.fn.addEventSource(
      new SqsEventSource(callbackQueue.queue, {
        // Shared with the local queue that plays this event source (`npm start`, the cost bench).
        batchSize: CALLBACK_BATCHING.batchSize,
        maxBatchingWindow: Duration.seconds(CALLBACK_BATCHING.windowSeconds),
        reportBatchItemFailures: true,
        maxConcurrency: CALLBACK_BATCHING.maxConcurrency,
      }),
    );
    new events.Rule(this, 'SweepSchedule', {
      description: 'callhook sweeper: scheduled calls, lost messages, abandoned leases',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [new targets.LambdaFunction(sweeper.fn, { retryAttempts: 0 })],
    });

    // With `waf`, the browser routes and the widget answer only behind AWS WAF, on an API of
    // their own: the HTTP API keeps every other route.
    const browserApi = settings.waf
      ? new BrowserApi(this, 'BrowserApi', {
          browserRoutes: browserRouteNames(props.config),
          handlers: { ingest: ingest.fn, widget: widgetFn.fn },
          stage: settings.stage,
          throttle: {
            rateLimit: settings.throttleRateLimit,
            burstLimit: settings.throttleBurstLimit,
          },
          logRetention: retention,
          rateLimit: settings.wafRateLimit,
          anonymousIpList: settings.wafAnonymousIpList,
        })
      : undefined;
    if (browserApi !== undefined) {
      for (const fn of [ingest, widgetFn]) fn.fn.addEnvironment(BROWSER_API_GUARDED_ENV, 'true');
    }
    const api = this.#api(settings, {
      ingest,
      calls,
      events: eventsFn,
      health,
      console: consoleFn,
      widget: widgetFn,
    });

    this.functions = {
      ingest,
      dispatch,
      sweeper,
      calls,
      events: eventsFn,
      callbacks,
      deadLetter,
      health,
      probe,
      console: consoleFn,
      widget: widgetFn,
    };
    const observability = new Observability(this, 'Observability', {
      functions: this.functions,
      deadLetterQueues: [dispatchQueue.deadLetters, callbackQueue.deadLetters],
      accounts: Object.keys(props.config.accounts),
      routes: Object.keys(props.config.routes),
      leadTargets: Object.fromEntries(
        Object.entries(props.config.routes).flatMap(([name, route]) =>
          route.target === undefined ? [] : [[name, route.target.alert_below]],
        ),
      ),
      alarmEmail: settings.alarmEmail,
      natInstances: network?.natInstances ?? [],
      dashboard: settings.dashboard,
      anomalyAlarm: settings.anomalyAlarm,
      stage: settings.stage,
    });
    // Every function, those added later included, reads its secrets under the stage's names.
    const prefix = secretNamePrefix(settings.stage);
    if (prefix !== '') {
      Aspects.of(this).add({
        visit: (node) => {
          if (node instanceof CallhookFunction)
            node.fn.addEnvironment(SECRET_NAME_PREFIX_ENV, prefix);
        },
      });
    }

    new CfnOutput(this, 'ApiUrl', { value: api.apiEndpoint });
    if (browserApi !== undefined) {
      new CfnOutput(this, 'BrowserApiUrl', {
        value: browserApi.url,
        description:
          'The browser routes and the widget, behind AWS WAF: the widget snippet loads <BrowserApiUrl>/widget/callhook-widget.js',
      });
    }
    new CfnOutput(this, 'AlarmTopicArn', {
      value: observability.alarmTopic.topicArn,
      description: 'Every alarm notifies this SNS topic: subscribe e-mail, chat or SMS to it',
    });
    new CfnOutput(this, 'ProbeFunctionName', {
      value: probe.fn.functionName,
      description: 'npm run doctor invokes it to check each account from the egress IPs',
    });
    new CfnOutput(this, 'Egress', {
      value: settings.egress,
      description:
        'How calls reach the provider: npm run doctor reads whether from fixed addresses',
    });
    if (settings.secretStore !== 'secrets-manager') {
      // Only where it is not the default, so a default deployment's template stays as it was:
      // the doctor reads no output as Secrets Manager.
      new CfnOutput(this, 'SecretStore', {
        value: settings.secretStore,
        description: "Where the config's secrets are kept: npm run doctor checks them there",
      });
    }
    stateful.egressIps.forEach((ip, i) => {
      new CfnOutput(this, `EgressIp${i + 1}`, {
        value: ip,
        description: 'Whitelist this address in the provider client area',
      });
    });
  }

  #api(settings: DeploySettings, handlers: Record<ApiFunction, CallhookFunction>): apigw.HttpApi {
    const api = new apigw.HttpApi(this, 'Api', {
      // 'Api' is what CDK names it by default: today's name without a stage.
      apiName: stagedName('Api', settings.stage),
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: settings.logRetentionDays as logs.RetentionDays,
    });
    new apigw.HttpStage(this, 'ApiStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: settings.throttleRateLimit, burstLimit: settings.throttleBurstLimit },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs) },
    });
    const integrations = new Map<ApiFunction, HttpLambdaIntegration>();
    for (const route of httpApiRoutes(settings.waf)) {
      let integration = integrations.get(route.function);
      if (integration === undefined) {
        integration = new HttpLambdaIntegration(
          `${route.function}Integration`,
          handlers[route.function].fn,
        );
        integrations.set(route.function, integration);
      }
      api.addRoutes({
        path: route.path,
        methods: [route.method as apigw.HttpMethod],
        integration,
      });
    }
    return api;
  }
}
