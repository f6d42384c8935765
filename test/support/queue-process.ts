import { InProcessQueue } from '../../shared/adapters/local/in-process-queue.ts';

/**
 * A process that holds a persistent in-process queue, for tests that kill it with SIGKILL:
 * `node --import tsx test/support/queue-process.ts <dir> <json>` sends `count` messages (every
 * other one delayed by `delaySeconds`, if given), prints `sent`, and with `hold` consumes them
 * without ever answering, printing `received <n>` per batch. Then it waits to be killed.
 */
const [dir = '', json = '{}'] = process.argv.slice(2);
const plan = JSON.parse(json) as {
  count: number;
  delaySeconds?: number;
  hold?: boolean;
  visibilityTimeoutMs?: number;
  maxReceives?: number;
};
const queue = await InProcessQueue.persistent(dir, {
  visibilityTimeoutMs: plan.visibilityTimeoutMs ?? 30_000,
  maxReceives: plan.maxReceives ?? 5,
});
for (let i = 0; i < plan.count; i += 1) {
  const { delaySeconds } = plan;
  const delayed = delaySeconds !== undefined && i % 2 === 1;
  await queue.send({ call_id: `m${i}` }, delayed ? { delaySeconds } : {});
}
process.stdout.write('sent\n');
if (plan.hold === true) {
  queue.start((event) => {
    process.stdout.write(`received ${event.Records.length}\n`);
    return new Promise(() => undefined);
  });
}
setInterval(() => undefined, 60_000);
