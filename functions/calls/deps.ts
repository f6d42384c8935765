import type { CallbackLog } from '../../shared/callbacks/callback-log.ts';
import type { CallAgainDeps } from '../../shared/dispatch/call-again.ts';
import { type CallWorkPorts, callWorkDeps, type Ports } from '../ports.ts';

export interface CallsDeps extends CallAgainDeps {
  adminKey: () => Promise<string>;
  /** The status callbacks' deliveries, kept beside each record, for a call's timeline. */
  callbackLog?: Pick<CallbackLog, 'deliveriesOf'>;
}

export type CallsPorts = CallWorkPorts &
  Pick<Ports, 'adminKey' | 'contacts'> &
  Partial<Pick<Ports, 'callbackLog'>>;

/** The calls API's dependencies, on Lambda and locally. */
export const callsDeps = (ports: CallsPorts): CallsDeps => ({
  ...callWorkDeps(ports, 'calls'),
  adminKey: ports.adminKey,
  contacts: ports.contacts,
  ...(ports.callbackLog !== undefined && { callbackLog: ports.callbackLog }),
});
