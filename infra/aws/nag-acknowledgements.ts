import { type CfnElement, type Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { BrowserApi } from './constructs/browser-api.ts';
import { OwnKeysParameter } from './constructs/own-keys-parameter.ts';

/**
 * The cdk-nag findings this design accepts, each with its reason. Everything else the AWS
 * Solutions rules ask for is done, and a new finding fails the synth.
 */
const STATELESS: { id: string; reason: string }[] = [
  {
    id: 'AwsSolutions-APIG4',
    reason:
      'Webhook senders sign their request bodies (Shopify, Stripe, …) or send a route token; only the function can check an HMAC of the raw body, so authentication happens there, in constant time. /calls and /figures require the admin key, /events the account token; /health and /openapi.json (the published HTTP contract) are public by design, and so is /console, which serves only the static files of the web console (its data comes from /calls with the key). The forms of browser routes are public too, on the HTTP API or (with waf) the REST API: the function checks their Origin, a CAPTCHA and the per-address and per-number windows; the widget files and the form settings hold nothing private.',
  },
  {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords accept no resource-level scoping.',
  },
  {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
    reason:
      'Functions in the VPC (for the static egress IPs) need Lambda to manage their network interfaces; the managed policy holds exactly those EC2 actions, which take no resource scoping.',
  },
  {
    id: 'AwsSolutions-SNS2',
    reason:
      'The alarm topic: CloudWatch cannot publish to a topic under the AWS-managed key alias/aws/sns (its key policy does not let cloudwatch.amazonaws.com use it, and it cannot be changed), and a customer-managed key costs $1 a month to protect alarm notifications that carry alarm names and metric values, no secret or call data. Publishing is SSL-only (SNS3).',
  },
];

/** For each NAT instance (`-c callhook:egress=nat-instance`). */
const NAT_INSTANCE: { id: string; reason: string }[] = [
  {
    id: 'AwsSolutions-EC28',
    reason:
      "Detailed monitoring is billed as seven custom metrics (about $2.10 a month), a quarter of the NAT instance's whole cost; the status checks that drive its recovery alarms are one-minute metrics without it, and five-minute CPU and network figures suffice for a NAT.",
  },
  {
    id: 'AwsSolutions-EC29',
    reason:
      'Termination protection would stop CloudFormation from replacing the instance (a newer Amazon Linux image, another instance type), which is how it is updated; it holds no state: its Elastic IP belongs to the stateful stack, is retained, and moves to the replacement.',
  },
];

/** For the WAF-guarded browser API (`-c callhook:waf=true`), a REST API. */
const BROWSER_API: { id: string; reason: string }[] = [
  {
    id: 'AwsSolutions-COG4',
    reason:
      "The browser routes are public forms on shops' pages, with no users to sign in: each form is checked by its Origin, a CAPTCHA verified server-side and the per-address and per-number windows, in the function (docs/callback-widget.md); the widget's files and a route's form settings are public by design.",
  },
  {
    id: 'AwsSolutions-APIG2',
    reason:
      'The function validates every form against its schema (and answers its problem); API Gateway request validation would check only that a body or parameter is present, before the same check.',
  },
  {
    id: 'AwsSolutions-APIG6',
    reason:
      'Access logs record every request (APIG1), and the functions log every refusal. Execution logs would go to a log group API Gateway creates itself, with no retention, billed per request.',
  },
  {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    reason:
      "A REST API writes its access logs through the account's API Gateway CloudWatch role; AWS's managed policy for that role holds exactly the log actions it needs.",
  },
];

export const acknowledgeFindings = (stateful: Stack, stateless: Stack): void => {
  for (const finding of STATELESS) Validations.of(stateless).acknowledge(finding);
  for (const instance of stateless.node.findAll().filter((c) => c instanceof ec2.Instance)) {
    for (const finding of NAT_INSTANCE) Validations.of(instance).acknowledge(finding);
  }
  for (const api of stateless.node.findAll().filter((c) => c instanceof BrowserApi)) {
    for (const finding of BROWSER_API) Validations.of(api).acknowledge(finding);
  }
  for (const keys of stateful.node.findAll().filter((c) => c instanceof OwnKeysParameter)) {
    const generator = stateful.getLogicalId(keys.generator.fn.node.defaultChild as CfnElement);
    for (const finding of [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray tracing of the function that puts callhook/keys: xray:PutTraceSegments and xray:PutTelemetryRecords accept no resource-level scoping.',
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "The CDK custom-resource Provider's own framework function, which relays CloudFormation's events to ours: its role comes with the managed basic execution policy (log writes), and it runs only at deploys.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${generator}.Arn>:*]`,
        reason:
          "The CDK custom-resource Provider's framework function may invoke our one function's versions and aliases (`<arn>:*`), and nothing else.",
      },
    ]) {
      Validations.of(keys).acknowledge(finding);
    }
  }
  Validations.of(stateful).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'The secrets are credentials issued by third parties (the Call API provider, the webhook senders): only their issuer can rotate them, and docs/deploying-to-aws.md says how to replace a value.',
  });
};
