import type { BackendClients } from '../backend-entry.ts';
import type { CallApiAccountConfig } from './config.ts';

/** The Call API's clients: the JSON-RPC client behind its backend, and the probe's request. */
export const CALL_API_CLIENTS: BackendClients<CallApiAccountConfig> = {
  probe: async (account, settings) => {
    const { probeCallApi } = await import('./probe.ts');
    return probeCallApi(account, settings);
  },

  create: async (account, settings) => {
    const { CallApiBackend } = await import('./call-api-backend.ts');
    return new CallApiBackend(account, settings);
  },
};
