import type { AccountConfig } from '../config/schema.ts';
import { CallApiBackend } from './call-api-backend.ts';
import type { ConnectionSettings } from './call-api-connection.ts';
import type { CallBackend } from './call-backend.ts';
import { JaicpBackend } from './jaicp/jaicp-backend.ts';

/** The backend an account's calls go through. */
export const backendFor = (account: AccountConfig, settings: ConnectionSettings): CallBackend =>
  account.backend === 'jaicp'
    ? new JaicpBackend(account, settings)
    : new CallApiBackend(account, settings);
