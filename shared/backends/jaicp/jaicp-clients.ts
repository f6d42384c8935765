import type { BackendClients } from '../backend-entry.ts';
import type { JaicpAccountConfig } from './config.ts';

/** A JAICP campaign's clients: the Calls API client behind its backend, and the probe's report. */
export const JAICP_CLIENTS: BackendClients<JaicpAccountConfig> = {
  probe: async (account, settings) => {
    const { probeJaicp } = await import('./probe.ts');
    return probeJaicp(account, settings);
  },

  create: async (account, settings) => {
    const { JaicpBackend } = await import('./jaicp-backend.ts');
    return new JaicpBackend(account, settings);
  },
};
