import { type Stack, Validations } from 'aws-cdk-lib';

/**
 * The cdk-nag findings this design accepts, each with its reason. Everything else the AWS
 * Solutions rules ask for is done, and a new finding fails the synth.
 */
const STATELESS: { id: string; reason: string }[] = [
  {
    id: 'AwsSolutions-APIG4',
    reason:
      'Webhook senders sign their request bodies (Shopify, Stripe, …) or send a route token; only the function can check an HMAC of the raw body, so authentication happens there, in constant time. /calls requires the admin key, /events the account token; /health is public by design.',
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

export const acknowledgeFindings = (stateful: Stack, stateless: Stack): void => {
  for (const finding of STATELESS) Validations.of(stateless).acknowledge(finding);
  Validations.of(stateful).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'The secrets are credentials issued by third parties (the Call API provider, the webhook senders): only their issuer can rotate them, and docs/deploying-to-aws.md says how to replace a value.',
  });
};
