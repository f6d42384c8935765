import type { OperatorDeps } from '../../shared/dispatch/operator-actions.ts';
import { type CallWorkPorts, callWorkDeps, type Ports } from '../ports.ts';

export interface CallsDeps extends OperatorDeps {
  adminKey: () => Promise<string>;
}

export type CallsPorts = CallWorkPorts & Pick<Ports, 'adminKey'>;

/** The calls API's dependencies, on Lambda and locally. */
export const callsDeps = (ports: CallsPorts): CallsDeps => ({
  ...callWorkDeps(ports, 'calls'),
  adminKey: ports.adminKey,
});
