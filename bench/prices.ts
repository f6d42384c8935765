/**
 * AWS list prices in us-east-1, as published on the date below. Update both together.
 * Lambda: arm64. DynamoDB: on-demand. API Gateway: HTTP API, first 300 million requests.
 * A month is 730 hours.
 */
export const PRICES = {
  as_of: '2026-11-24',
  region: 'us-east-1',
  lambda_per_million_requests: 0.2,
  lambda_arm_per_gb_second: 0.0000133334,
  api_gateway_http_per_million: 1.0,
  /**
   * Standard queues, the first 100 billion requests a month; every API action is a request, an
   * empty ReceiveMessage too. Beyond `sqs_free_requests_per_month`, which every account gets
   * every month (the always-free tier, not only a new account's first year). Sources: AWS's
   * SQS pricing page (https://aws.amazon.com/sqs/pricing/), as summarised in
   * https://cloudburn.io/blog/amazon-sqs-pricing ("Standard $0.40/M (first 100B) … Free Tier 1M
   * requests/month") and https://unanswered.io/guide/aws-sqs-pricing-and-cost-optimization
   * ("1 million free requests per month indefinitely, not just for the first year").
   */
  sqs_per_million_requests: 0.4,
  sqs_free_requests_per_month: 1_000_000,
  dynamodb_per_million_write_units: 0.625,
  dynamodb_per_million_read_units: 0.125,
  secrets_manager_per_10k_calls: 0.05,
  nat_gateway_per_hour: 0.045,
  /** Every public IPv4 address, an Elastic IP in use included, since 1 February 2024. */
  public_ipv4_per_hour: 0.005,
  /** On demand, Linux. */
  ec2_t4g_nano_per_hour: 0.0042,
  ebs_gp3_per_gb_month: 0.08,
  /** A standard-resolution alarm; an anomaly-detection alarm is billed as three. */
  cloudwatch_alarm_per_month: 0.1,
  /** The first 10,000 metrics; billed by the hour a metric receives data. */
  cloudwatch_custom_metric_per_month: 0.3,
  /** Beyond the three dashboards (up to 50 metrics each) an account has free. */
  cloudwatch_dashboard_per_month: 3.0,
  /**
   * CloudWatch's free tier, every month and for every account (not only a new one's first year):
   * this many alarm metrics (an anomaly-detection alarm is three), and this many dashboards of up
   * to `cloudwatch_free_dashboard_metrics` metrics each.
   */
  cloudwatch_free_alarm_metrics: 10,
  cloudwatch_free_dashboards: 3,
  cloudwatch_free_dashboard_metrics: 50,
  /** Vended logs, VPC flow logs among them, delivered to CloudWatch Logs. */
  cloudwatch_vended_logs_per_gb: 0.5,
  secrets_manager_per_secret_month: 0.4,
  /**
   * A standard-tier parameter (up to 4 KB, 10,000 an account and region), and its reads at the
   * standard throughput: no charge. `SecureString` under the AWS-managed `aws/ssm` key adds no
   * charge at rest, but each decrypted read is a KMS request (20,000 a month free in the account,
   * then $0.03 per 10,000): nothing at rest, where no function reads.
   */
  ssm_standard_parameter_per_month: 0,
  kms_customer_key_per_month: 1.0,
  /** AWS WAF: each web ACL, and each rule in it (a managed rule group counts as one rule). */
  waf_web_acl_per_month: 5.0,
  waf_rule_per_month: 1.0,
  /** AWS WAF: requests its web ACLs inspect (billed per request, not at rest). */
  waf_per_million_requests: 0.6,
  /** API Gateway REST API (the WAF-guarded browser API), first 333 million requests. */
  api_gateway_rest_per_million: 3.5,
} as const;
