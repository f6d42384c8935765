import { type ChildProcess, spawn } from 'node:child_process';
import type {
  FaultRule,
  SimulatedCall,
  SimulatorOptions,
} from '../../infra/local/simulator/simulator.ts';
import type { SimulatorRequest } from './simulator-process.ts';

export interface SimulatorStats {
  calls: SimulatedCall[];
  requests: Record<string, number>;
}

/** A request without the id the channel adds. */
type WithoutId<R> = R extends unknown ? Omit<R, 'id'> : never;
type Request = WithoutId<SimulatorRequest>;

/**
 * Starts test/support/simulator-process.ts: the Call API simulator in a process of its own,
 * asked over IPC for what it received. The child is in `started`, for an afterAll to kill.
 */
export const startSimulatorChild = async (
  options: Partial<SimulatorOptions>,
  started: ChildProcess[],
) => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/support/simulator-process.ts', JSON.stringify(options)],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  started.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { ready?: string }) => {
      if (message.ready === undefined) reject(new Error('the simulator did not start'));
      else resolve(message.ready);
    });
    child.once('exit', (code) => reject(new Error(`the simulator exited (${code})`)));
  });
  let next = 0;
  const waiting = new Map<number, (reply: unknown) => void>();
  child.on('message', (reply: { id?: number }) => {
    if (reply.id === undefined) return;
    waiting.get(reply.id)?.(reply);
    waiting.delete(reply.id);
  });
  const ask = <T>(request: Request): Promise<T> =>
    new Promise<T>((resolve) => {
      next += 1;
      waiting.set(next, resolve as (reply: unknown) => void);
      child.send({ ...request, id: next });
    });
  return {
    url,
    stats: () => ask<SimulatorStats>({ op: 'stats' }),
    injectFault: (rule: FaultRule) => ask<unknown>({ op: 'fault', rule }),
    clearFaults: () => ask<unknown>({ op: 'clearFaults' }),
  };
};
