import { PRICES } from './prices.ts';

/** What one webhook uses of each priced AWS operation, on average. */
export interface Usage {
  api_requests: number;
  lambda_invocations: number;
  lambda_ms: number;
  sqs_requests: number;
  dynamodb_read_units: number;
  dynamodb_write_units: number;
  secrets_manager_calls: number;
}

/** Dollars per million webhooks for a usage; Lambda bills 512 MB (every callhook function). */
export const dollarsPerMillion = (usage: Usage): Record<string, number> => {
  const million = 1_000_000;
  return {
    api_gateway: usage.api_requests * PRICES.api_gateway_http_per_million,
    lambda_requests: usage.lambda_invocations * PRICES.lambda_per_million_requests,
    lambda_compute: (usage.lambda_ms / 1000) * 0.5 * million * PRICES.lambda_arm_per_gb_second,
    sqs: usage.sqs_requests * PRICES.sqs_per_million_requests,
    dynamodb:
      usage.dynamodb_write_units * PRICES.dynamodb_per_million_write_units +
      usage.dynamodb_read_units * PRICES.dynamodb_per_million_read_units,
    secrets_manager:
      (usage.secrets_manager_calls * million * PRICES.secrets_manager_per_10k_calls) / 10_000,
  };
};

export const sum = (record: Record<string, number>) =>
  Object.values(record).reduce((total, value) => total + value, 0);
