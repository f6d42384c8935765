import type { SweepDeps } from '../../shared/dispatch/sweep-deps.ts';
import { type CallWorkPorts, callWorkDeps, type Ports } from '../ports.ts';

export type SweeperPorts = CallWorkPorts & Pick<Ports, 'limits' | 'contacts'>;

/** The sweeper's dependencies, on Lambda and locally. */
export const sweeperDeps = (ports: SweeperPorts): SweepDeps => ({
  ...callWorkDeps(ports, 'sweeper'),
  limits: ports.limits,
  // Redials are calls to the number too: the per-number cap counts them.
  contacts: ports.contacts,
});
