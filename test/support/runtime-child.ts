import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ADMIN_KEY, HOOK_TOKEN } from './runtime.ts';
import type { RuntimePlan } from './runtime-process.ts';

export interface RuntimeChild {
  child: ChildProcess;
  bridgeUrl: string;
  /** SIGTERM: the runtime stops cleanly (waits for work in progress). */
  stop(): Promise<void>;
  /** SIGKILL: nothing is finished, flushed or closed. */
  kill(): Promise<void>;
}

const exited = (child: ChildProcess): Promise<unknown> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'exit');

/**
 * Starts test/support/runtime-process.ts with `plan` (written into `dir`) and waits until it
 * serves. Every child started is in `started`, for an afterAll that kills what is left.
 */
export const startRuntimeChild = async (
  dir: string,
  plan: Omit<RuntimePlan, 'adminKey' | 'hookToken'>,
  started: ChildProcess[],
): Promise<RuntimeChild> => {
  const planFile = join(dir, `plan-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(
    planFile,
    JSON.stringify({ adminKey: ADMIN_KEY, hookToken: HOOK_TOKEN, ...plan }),
  );
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/support/runtime-process.ts', planFile],
    {
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  started.push(child);
  const ready = await new Promise<{ bridgeUrl: string }>((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const line = seen.split('\n').find((l) => l.startsWith('ready '));
      if (line === undefined) return;
      child.stdout?.off('data', onData);
      resolve(JSON.parse(line.slice('ready '.length)) as { bridgeUrl: string });
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code, signal) =>
      reject(new Error(`runtime exited (${code ?? signal}) before it was ready:\n${seen}`)),
    );
  });
  return {
    child,
    bridgeUrl: ready.bridgeUrl,
    stop: async () => {
      const done = exited(child);
      child.kill('SIGTERM');
      await done;
    },
    kill: async () => {
      const done = exited(child);
      child.kill('SIGKILL');
      await done;
    },
  };
};

/** For afterAll: SIGKILL every child still running, and wait for each to be gone. */
export const killAll = async (children: ChildProcess[]): Promise<void> => {
  await Promise.all(
    children.splice(0).map(async (child) => {
      const done = exited(child);
      child.kill('SIGKILL');
      await done;
    }),
  );
};
