import type { AccountConfig } from '../config/schema.ts';
import type { Logger } from '../logging/logger.ts';
import {
  readSecret,
  type SecretShape,
  SecretUnusableError,
  secretMnemonic,
} from '../secrets/secret-shapes.ts';
import type { SecretStore } from '../secrets/secrets.ts';
import { BackendError } from './backend-error.ts';
import type { TransportTimeouts } from './callapi/jsonrpc/transport.ts';

/** What every backend is built with, whichever it is. */
export interface ConnectionSettings {
  secrets: SecretStore;
  /**
   * Where an account with `provider: "simulator"` points, by backend; only the local runtime
   * sets them.
   */
  simulatorUrls?: Partial<Record<AccountConfig['backend'], string>>;
  timeouts?: TransportTimeouts;
  logger?: Pick<Logger, 'warn'>;
}

/**
 * Reads an account's secret for a backend. A missing or malformed one is a configuration error:
 * the call fails at once with `secret_missing` or `secret_invalid`, naming the secret (never its
 * value), instead of being retried as if the provider were unreachable.
 */
export const accountSecret = async (
  settings: ConnectionSettings,
  name: string,
  shape: SecretShape,
): Promise<string> => {
  try {
    return await readSecret(settings.secrets, name, shape);
  } catch (error) {
    if (!(error instanceof SecretUnusableError)) throw error;
    throw new BackendError(
      { classification: 'config', mnemonic: secretMnemonic(error), message: error.message },
      { cause: error },
    );
  }
};
