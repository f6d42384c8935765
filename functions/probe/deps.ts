import type { ProbeDeps } from '../../shared/backends/probe/probe-accounts.ts';
import type { Logger } from '../../shared/logging/logger.ts';
import { connectionFor, type Ports } from '../ports.ts';

export interface ProbeHandlerDeps extends ProbeDeps {
  logger: Logger;
}

export type ProbePorts = Pick<Ports, 'config' | 'secrets' | 'connection' | 'logger'> & {
  /** The Elastic IPs the function leaves through; none when the stack did not create them. */
  egressIps: readonly string[];
};

/** The probe's dependencies, on Lambda and in the tests. */
export const probeDeps = (ports: ProbePorts): ProbeHandlerDeps => {
  const logger = ports.logger('probe');
  return {
    config: ports.config,
    connection: connectionFor(ports, logger),
    egressIps: ports.egressIps,
    logger,
  };
};
