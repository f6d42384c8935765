import { Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { type ApiFunction, BROWSER_API_STAGE, browserApiRoutes } from '../../api-routes.ts';
import { stagedName } from '../stage-names.ts';

export interface BrowserApiProps {
  /** The config's browser routes, each served by its name. */
  browserRoutes: readonly string[];
  handlers: Record<Extract<ApiFunction, 'ingest' | 'widget'>, lambda.IFunction>;
  stage: string | undefined;
  throttle: { rateLimit: number; burstLimit: number };
  logRetention: logs.RetentionDays;
  /** Requests to the browser routes from one address in 5 minutes before it is blocked. */
  rateLimit: number;
  anonymousIpList: boolean;
}

/** How long the rate-based rule looks back, in seconds (AWS WAF's default). */
export const WAF_RATE_WINDOW_S = 300;

/** A rule's metrics and sampled requests, named under the stage. */
const visibility = (name: string, stage: string | undefined) => ({
  cloudWatchMetricsEnabled: true,
  sampledRequestsEnabled: true,
  metricName: stagedName(name, stage).replace(/[^A-Za-z0-9_-]/g, '-'),
});

/** An AWS managed rule group, applied as AWS ships it. */
const managedRule = (name: string, priority: number, stage: string | undefined) => ({
  name,
  priority,
  overrideAction: { none: {} },
  statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
  visibilityConfig: visibility(name, stage),
});

/**
 * The browser routes and the widget behind AWS WAF (`-c callhook:waf=true`). AWS WAF cannot be
 * associated with an API Gateway HTTP API, so they get a regional REST API of their own, in this
 * stack and region, with a regional web ACL: a per-address rate-based rule on the form requests
 * (`/hooks/…`), and AWS's IP reputation list (and, if asked, its anonymous IP list). The
 * functions read the client's address from the REST API's `identity.sourceIp`, set from the
 * connection; the HTTP API stops answering these routes (`servingBothApis`).
 */
export class BrowserApi extends Construct {
  readonly api: apigateway.RestApi;
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: BrowserApiProps) {
    super(scope, id);
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: stagedName('BrowserApi', props.stage),
      description: 'callhook: the browser routes and the widget, behind AWS WAF',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // A REST API logs to CloudWatch through the account's API Gateway role: this makes it
      // (kept if the stack goes, as other APIs of the account may use it).
      cloudWatchRole: true,
      deployOptions: {
        stageName: BROWSER_API_STAGE,
        throttlingRateLimit: props.throttle.rateLimit,
        throttlingBurstLimit: props.throttle.burstLimit,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
      },
    });
    const integrations = {
      ingest: new apigateway.LambdaIntegration(props.handlers.ingest, { allowTestInvoke: false }),
      widget: new apigateway.LambdaIntegration(props.handlers.widget, { allowTestInvoke: false }),
    };
    for (const route of browserApiRoutes(props.browserRoutes)) {
      const fn = route.function as keyof typeof integrations;
      this.api.root.resourceForPath(route.path).addMethod(route.method, integrations[fn]);
    }

    const rules: wafv2.CfnWebACL.RuleProperty[] = [
      managedRule('AWSManagedRulesAmazonIpReputationList', 0, props.stage),
      ...(props.anonymousIpList
        ? [managedRule('AWSManagedRulesAnonymousIpList', 1, props.stage)]
        : []),
      {
        name: 'FormRequestsPerAddress',
        priority: 2,
        action: { block: {} },
        statement: {
          rateBasedStatement: {
            aggregateKeyType: 'IP',
            limit: props.rateLimit,
            evaluationWindowSec: WAF_RATE_WINDOW_S,
            // The forms, their preflights and their settings; not the widget's files, which
            // browsers keep for minutes and every page of a shop loads.
            scopeDownStatement: {
              byteMatchStatement: {
                fieldToMatch: { uriPath: {} },
                positionalConstraint: 'CONTAINS',
                searchString: '/hooks/',
                textTransformations: [{ priority: 0, type: 'NONE' }],
              },
            },
          },
        },
        visibilityConfig: visibility('FormRequestsPerAddress', props.stage),
      },
    ];
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: stagedName('callhook-browser', props.stage),
      description: 'callhook: the browser routes and the widget',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rules,
      visibilityConfig: visibility('callhook-browser', props.stage),
    });
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.api.deploymentStage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }

  /** Where the widget is loaded from and posts to: the stage's address, without a final `/`. */
  get url(): string {
    const stack = Stack.of(this);
    return `https://${this.api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/${BROWSER_API_STAGE}`;
  }
}
