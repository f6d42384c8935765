import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/*
 * moto (`moto_server`, a Python tool installed on the machine, not an npm dependency) as the AWS
 * the SQS and Secrets Manager adapters and the doctor's Secrets Manager and Lambda checks talk
 * to: one server per test file, in memory, on a free port of 127.0.0.1, stopped by `close`.
 */

const STARTUP_TIMEOUT_MS = 20_000;
export const MOTO_REGION = 'us-east-1';
/** moto's default account. */
export const MOTO_ACCOUNT = '123456789012';
/** Dummy credentials: moto reads only the region and the service from the signature. */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export interface RunningMoto {
  endpoint: string;
  /** For an SDK client's constructor: the endpoint, a region and dummy credentials. */
  clientConfig: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  /** For a child process: `AWS_ENDPOINT_URL`, the region and the dummy credentials. */
  env: Record<string, string>;
  /** Forgets every resource (moto's `/moto-api/reset`); Lambda stays without Docker. */
  reset(): Promise<void>;
  /**
   * Runs `body` with moto's own Lambda backend (the one that would run functions in Docker),
   * which knows only the functions created meanwhile: without Docker, moto answers an
   * invocation of any name, even one never created.
   */
  withDockerLambda<T>(body: () => Promise<T>): Promise<T>;
  /**
   * What the next invocations of any function answer, in order (moto's Lambda without Docker
   * runs no code: it answers these, then the request's own payload).
   */
  queueLambdaResults(results: string[]): Promise<void>;
  /** A Node.js function (no code: see `queueLambdaResults`) and the IAM role it runs as. */
  createFunction(name: string): Promise<void>;
  close(): Promise<void>;
}

/** `moto_server` is not installed here (not on the PATH, or a pyenv shim with nothing under it). */
export class MotoMissingError extends Error {
  override name = 'MotoMissingError';
}

/** The port werkzeug prints once it listens: `* Running on http://127.0.0.1:PORT`. */
const listeningPort = (child: ChildProcess): Promise<number> =>
  new Promise((resolve, reject) => {
    const output: string[] = [];
    const timer = setTimeout(
      () =>
        reject(new Error(`moto_server did not start in time: ${output.join('\n').slice(-500)}`)),
      STARTUP_TIMEOUT_MS,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      const said = output.join(' ').slice(-300);
      reject(new MotoMissingError(`\`moto_server\` exited (${code}) before listening: ${said}`));
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'ENOENT' ? new MotoMissingError('`moto_server` is not on the PATH') : error,
      );
    });
    for (const stream of [child.stdout, child.stderr]) {
      if (stream === null) continue;
      // Read to the end: moto logs each request, and a full pipe would stall it.
      createInterface({ input: stream }).on('line', (line) => {
        if (output.length < 50) output.push(line);
        const match = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
        if (match === null) return;
        clearTimeout(timer);
        resolve(Number(match[1]));
      });
    }
  });

/** An empty zip archive: the code of a function moto never runs. */
const EMPTY_ZIP = Uint8Array.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);
const ASSUME_ROLE_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
});

export const startMotoServer = async (): Promise<RunningMoto> => {
  // Its own process group, so that `close` stops the shim (pyenv's) and the server under it.
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  const stop = () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  };
  // A worker that ends without afterAll still takes its server with it.
  process.once('exit', stop);
  let endpoint: string;
  try {
    endpoint = `http://127.0.0.1:${await listeningPort(child)}`;
  } catch (error) {
    stop();
    process.off('exit', stop);
    throw error;
  }

  const motoApi = async (path: string, body: unknown) => {
    const reply = await fetch(`${endpoint}/moto-api/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!reply.ok) throw new Error(`moto-api/${path}: ${reply.status} ${await reply.text()}`);
  };
  /** A query-protocol call; moto reads the service from the credential scope, not the signature. */
  const query = async (service: string, params: Record<string, string>) => {
    const reply = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${MOTO_REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: new URLSearchParams(params).toString(),
    });
    if (!reply.ok)
      throw new Error(`${service} ${params.Action}: ${reply.status} ${await reply.text()}`);
  };
  // Lambda without Docker (none here): invocations answer what `queueLambdaResults` queued.
  const useDocker = (useDocker: boolean) =>
    motoApi('config', { lambda: { use_docker: useDocker } });
  const noDocker = () => useDocker(false);
  // Also the first request: moto answers, so it is ready.
  await noDocker();

  const clientConfig = { endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS };
  return {
    endpoint,
    clientConfig,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: MOTO_REGION,
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    },
    reset: async () => {
      await motoApi('reset', {});
      await noDocker();
    },
    withDockerLambda: async (body) => {
      await useDocker(true);
      try {
        return await body();
      } finally {
        await noDocker();
      }
    },
    queueLambdaResults: (results) => motoApi('static/lambda-simple/response', { results }),
    createFunction: async (name) => {
      const role = `${name}-role`;
      await query('iam', {
        Action: 'CreateRole',
        Version: '2010-05-08',
        RoleName: role,
        AssumeRolePolicyDocument: ASSUME_ROLE_POLICY,
      });
      const { CreateFunctionCommand, LambdaClient } = await import('@aws-sdk/client-lambda');
      const lambda = new LambdaClient(clientConfig);
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs20.x',
          Role: `arn:aws:iam::${MOTO_ACCOUNT}:role/${role}`,
          Handler: 'index.handler',
          Code: { ZipFile: EMPTY_ZIP },
        }),
      );
      lambda.destroy();
    },
    close: async () => {
      process.off('exit', stop);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      stop();
      await exited;
    },
  };
};

/**
 * moto for one test file, or, where it is not installed, `undefined` and a line saying which
 * tests are skipped and why (as the DynamoDB Local cases say it without Java). Starting it is
 * the check: asking `moto_server --help` first would cost as long again.
 */
export const startMotoOrSkip = async (
  file: string,
  what: string,
): Promise<RunningMoto | undefined> => {
  try {
    return await startMotoServer();
  } catch (error) {
    if (!(error instanceof MotoMissingError)) throw error;
    console.warn(
      `${file}: ${what} skipped: ${error.message} (moto is a Python tool: \`pip install 'moto[server]'\`).`,
    );
    return undefined;
  }
};
