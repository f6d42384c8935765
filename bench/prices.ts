/**
 * AWS list prices in us-east-1, as published on the date below. Update both together.
 * Lambda: arm64. DynamoDB: on-demand. API Gateway: HTTP API, first 300 million requests.
 */
export const PRICES = {
  as_of: '2026-11-24',
  region: 'us-east-1',
  lambda_per_million_requests: 0.2,
  lambda_arm_per_gb_second: 0.0000133334,
  api_gateway_http_per_million: 1.0,
  sqs_per_million_requests: 0.4,
  dynamodb_per_million_write_units: 0.625,
  dynamodb_per_million_read_units: 0.125,
  secrets_manager_per_10k_calls: 0.05,
  nat_gateway_per_hour: 0.045,
  public_ipv4_per_hour: 0.005,
} as const;
