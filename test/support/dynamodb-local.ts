import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { RunningDynalite } from '../../infra/local/dynalite.ts';

const LAUNCHER = fileURLToPath(
  new URL('./dynamodb-local/LoopbackDynamoDbLocal.java', import.meta.url),
);
const STARTUP_TIMEOUT_MS = 60_000;

/** Whether a Java runtime is on the PATH: the official DynamoDB Local runs only where one is. */
export const javaAvailable = (): boolean =>
  spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;

/** The port the launcher reports once DynamoDB Local accepts connections. */
const listeningPort = (child: ChildProcess): Promise<number> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('DynamoDB Local did not start in time')),
      STARTUP_TIMEOUT_MS,
    );
    const output: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`DynamoDB Local exited (${code}): ${output.join('').slice(-500)}`));
    });
    if (child.stdout === null) throw new Error('no stdout');
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^listening (\d+)$/.exec(line);
      if (match === null) return;
      clearTimeout(timer);
      resolve(Number(match[1]));
    });
  });

/**
 * The official DynamoDB Local (the jar the `local-dynamo` package carries), in memory, on a
 * free port of 127.0.0.1, in its own JVM that `close` stops.
 */
export const startDynamoDbLocal = async (): Promise<RunningDynalite> => {
  const jarDir = join(
    dirname(createRequire(import.meta.url).resolve('local-dynamo/package.json')),
    'aws_dynamodb_local',
  );
  const libDir = join(jarDir, 'DynamoDBLocal_lib');
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${libDir}`,
      '-cp',
      [join(jarDir, 'DynamoDBLocal.jar'), join(libDir, '*')].join(':'),
      LAUNCHER,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    const port = await listeningPort(child);
    return {
      clientConfig: {
        endpoint: `http://127.0.0.1:${port}`,
        region: 'local',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      },
      close: async () => {
        if (child.exitCode !== null) return;
        const exited = once(child, 'exit');
        child.kill();
        await exited;
      },
    };
  } catch (error) {
    child.kill();
    throw error;
  }
};
