import middy from '@middy/core';
import { probeAccounts } from '../../shared/backends/probe/probe-accounts.ts';
import type { ProbeReport } from '../../shared/backends/probe/probe-report.ts';
import type { ProbeHandlerDeps } from './deps.ts';

export type { ProbeHandlerDeps };

/**
 * Invoked directly (`npm run doctor`, or `aws lambda invoke`), never through the API: from inside
 * the VPC, so its requests leave through the egress IPs the provider must whitelist. The event
 * carries nothing; the answer is one result per account of the compiled config.
 */
export const createProbeHandler = (deps: ProbeHandlerDeps) =>
  middy<unknown, ProbeReport>().handler(async () => {
    const report = await probeAccounts(deps);
    deps.logger.info('probe done', {
      accounts: report.accounts.map(({ account, status, error }) => ({ account, status, error })),
    });
    return report;
  });
