import { type ChildProcess, spawn } from 'node:child_process';

export interface Child<Request, Reply> {
  /** What the child sent when it was ready: its address, say. */
  ready: unknown;
  /** Sends a request and waits for its reply; rejects with the child's error if it failed. */
  ask(request: Request): Promise<Reply>;
  /** Closes the channel, which the child takes as its cue to stop, and waits for its exit. */
  stop(): Promise<void>;
}

/**
 * Runs one of the bench's processes (`bench/processes/<name>.ts`) under tsx with an IPC channel:
 * the child sends `{ready}` once it is listening, then answers each `{id, request}` with
 * `{id, reply}`. A process of its own has a CPU of its own to ask for, as a sender, DynamoDB and
 * the provider have beside a deployment's Lambda functions.
 */
export const startChild = async <Request, Reply>(
  name: string,
  options: unknown,
): Promise<Child<Request, Reply>> => {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', new URL(`./${name}.ts`, import.meta.url).pathname, JSON.stringify(options)],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<unknown>((resolve, reject) => {
    child.once('message', (message: { ready?: unknown }) => resolve(message.ready));
    child.once('exit', (code) => reject(new Error(`bench process ${name} exited (${code})`)));
  });
  let next = 0;
  const waiting = new Map<number, (message: { reply?: Reply; error?: string }) => void>();
  child.on('message', (message: { id?: number; reply?: Reply; error?: string }) => {
    if (message.id === undefined) return;
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
  return {
    ready,
    ask: (request) =>
      new Promise<Reply>((resolve, reject) => {
        next += 1;
        waiting.set(next, (message) => {
          if (message.error === undefined) resolve(message.reply as Reply);
          else reject(new Error(`bench process ${name}: ${message.error}`));
        });
        child.send({ id: next, request });
      }),
    stop: async () => {
      child.disconnect();
      await exited;
    },
  };
};

/**
 * The child's side: sends `ready`, answers each request with `answer` (or the error it failed
 * with, so the parent does not wait for ever), and stops (`close`, then exit) when the parent
 * closes the channel, even by dying.
 */
export const serve = <Request, Reply>(
  ready: unknown,
  answer: (request: Request) => Promise<Reply>,
  close: () => Promise<void>,
): void => {
  process.on('message', (message: { id: number; request: Request }) => {
    answer(message.request).then(
      (reply) => process.send?.({ id: message.id, reply }),
      (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
    );
  });
  process.on('disconnect', () => {
    void close().then(() => process.exit(0));
  });
  process.send?.({ ready });
};
