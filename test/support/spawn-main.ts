import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** Runs the `npm start` entry point (infra/local/main.ts) as its own process. */
export const spawnMain = (env: Record<string, string>): ChildProcess =>
  spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT', PORT: '0', SIMULATOR_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/** Waits for the process to exit; returns its exit code and everything it printed. */
export const runToExit = async (
  child: ChildProcess,
): Promise<{ code: number | null; stdout: string; stderr: string }> => {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
};

/** Collects stdout until `marker` appears. */
export const readUntil = (child: ChildProcess, marker: string): Promise<string> =>
  new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(marker)) {
        child.stdout?.off('data', onData);
        resolve(seen);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`exited with ${code} before "${marker}":\n${seen}`)),
    );
  });
