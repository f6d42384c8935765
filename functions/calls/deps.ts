import type { CallAgainDeps } from '../../shared/dispatch/call-again.ts';
import { type CallWorkPorts, callWorkDeps, type Ports } from '../ports.ts';

export interface CallsDeps extends CallAgainDeps {
  adminKey: () => Promise<string>;
}

export type CallsPorts = CallWorkPorts & Pick<Ports, 'adminKey' | 'contacts'>;

/** The calls API's dependencies, on Lambda and locally. */
export const callsDeps = (ports: CallsPorts): CallsDeps => ({
  ...callWorkDeps(ports, 'calls'),
  adminKey: ports.adminKey,
  contacts: ports.contacts,
});
