import type { CallbackLog } from '../../shared/callbacks/callback-log.ts';
import type { KeptEvents } from '../../shared/calls/kept-event.ts';
import type { CallAgainDeps } from '../../shared/dispatch/call-again.ts';
import { type CallWorkPorts, callWorkDeps, type Ports } from '../ports.ts';

export interface CallsDeps extends CallAgainDeps {
  adminKey: () => Promise<string>;
  /** The status callbacks' deliveries, kept beside each record, for a call's timeline. */
  callbackLog?: Pick<CallbackLog, 'deliveriesOf'>;
  /** The accepted events' payloads, kept beside their calls. */
  keptEvents: Pick<KeptEvents, 'keptOf'>;
}

export type CallsPorts = CallWorkPorts &
  Pick<Ports, 'adminKey' | 'contacts' | 'keptEvents'> &
  Partial<Pick<Ports, 'callbackLog'>>;

/** The calls API's dependencies, on Lambda and locally. */
export const callsDeps = (ports: CallsPorts): CallsDeps => ({
  ...callWorkDeps(ports, 'calls'),
  adminKey: ports.adminKey,
  contacts: ports.contacts,
  keptEvents: ports.keptEvents,
  ...(ports.callbackLog !== undefined && { callbackLog: ports.callbackLog }),
});
