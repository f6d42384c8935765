import type { DispatchQueue } from '../../shared/calls/dispatch-queue.ts';
import type { DispatchDeps } from '../../shared/dispatch/dispatch-call.ts';
import { type CallWorkPorts, callWorkDeps, type Ports } from '../ports.ts';

export interface DispatchHandlerDeps extends DispatchDeps {
  queue: DispatchQueue;
}

export type DispatchPorts = CallWorkPorts & Pick<Ports, 'limits' | 'tuning'>;

/** The dispatch function's dependencies, on Lambda and locally. */
export const dispatchDeps = (ports: DispatchPorts): DispatchHandlerDeps => {
  const { leaseMs, backoff } = ports.tuning ?? {};
  return {
    ...callWorkDeps(ports, 'dispatch'),
    limits: ports.limits,
    ...(leaseMs !== undefined && { leaseMs }),
    ...(backoff !== undefined && { backoff }),
  };
};
