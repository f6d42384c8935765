import type { CallStore } from '../../shared/calls/call-store.ts';
import type { Logger } from '../../shared/logging/logger.ts';
import type { Ports } from '../ports.ts';

export interface DeadLetterDeps {
  store: CallStore;
  logger: Logger;
  now: () => Date;
}

export type DeadLetterPorts = Pick<Ports, 'store' | 'logger' | 'now'>;

/** The dead-letter consumer's dependencies, on Lambda and locally. */
export const deadLetterDeps = (ports: DeadLetterPorts): DeadLetterDeps => ({
  store: ports.store,
  logger: ports.logger('dead-letter'),
  now: ports.now,
});
