import type { CallApiAccountConfig, CallhookConfig } from '../config/schema.ts';

/** A Call API account with a Data API key: the accounts whose calls' outcomes are read. */
export type ReportingAccount = CallApiAccountConfig & {
  data_api: NonNullable<CallApiAccountConfig['data_api']>;
};

/** The account a record's calls go through, when it has a Data API key. */
export const reportingAccount = (
  config: CallhookConfig,
  accountName: string,
): ReportingAccount | undefined => {
  const account = Object.hasOwn(config.accounts, accountName)
    ? config.accounts[accountName]
    : undefined;
  return account?.backend === 'callapi' && account.data_api !== undefined
    ? (account as ReportingAccount)
    : undefined;
};
