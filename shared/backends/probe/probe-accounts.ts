import type { CallhookConfig } from '../../config/schema.ts';
import { clientsOf } from '../client-registry.ts';
import type { ConnectionSettings } from '../connection.ts';
import { entryOf } from '../registry.ts';
import type { AccountProbe, ProbeReport } from './probe-report.ts';

export interface ProbeDeps {
  config: CallhookConfig;
  connection: ConnectionSettings;
  /** The Elastic IPs the function leaves through (empty when the stack did not create them). */
  egressIps: readonly string[];
}

/**
 * Checks every account at once, one request each, and says for a refused address which ones to
 * whitelist: all the stack's egress IPs (with two NAT gateways a call may leave through either),
 * or, when the stack reuses allocations it does not know the addresses of, the one the provider
 * saw.
 */
export const probeAccounts = async (deps: ProbeDeps): Promise<ProbeReport> => {
  const accounts = await Promise.all(
    Object.entries(deps.config.accounts).map(async ([name, account]): Promise<AccountProbe> => {
      const outcome = await clientsOf(account).probe(account, deps.connection);
      const whitelist =
        deps.egressIps.length > 0
          ? [...deps.egressIps]
          : outcome.seen_ip === undefined
            ? []
            : [outcome.seen_ip];
      return {
        account: name,
        backend: account.backend,
        provider: entryOf(account).provider(account),
        ...outcome,
        ...(outcome.status === 'ip_not_whitelisted' && { whitelist }),
      };
    }),
  );
  return { egress_ips: [...deps.egressIps], accounts };
};
