import type { AccountConfig } from '../config/schema.ts';

/**
 * Whether the account's backend applies a route's calling window itself (a JAICP campaign
 * does), so ingest hands the window over instead of scheduling the call.
 */
export const ownsCallingWindow = (account: AccountConfig): boolean => account.backend === 'jaicp';
