import type { SQSRecord } from 'aws-lambda';
import type { Logger } from '../../shared/logging/logger.ts';

/**
 * EventBridge's schedule, locally: runs `sweep` every `intervalMs`, never two at once. `stop`
 * waits for a sweep in progress, so nothing touches the tables after the runtime closes them.
 */
export const startSweepTimer = (
  sweep: () => Promise<unknown>,
  intervalMs: number,
  logger: Pick<Logger, 'error'>,
) => {
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  if (intervalMs > 0) {
    timer = setInterval(() => {
      running ??= sweep()
        .then(() => undefined)
        .catch((error: unknown) => logger.error('sweep failed', { error }))
        .finally(() => {
          running = undefined;
        });
    }, intervalMs);
    timer.unref();
  }
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
};

/** The in-process queue's dead letter as the SQS record the dead-letter handler consumes. */
export const toDeadLetterRecord = (message: { id: string; body: string }): SQSRecord => ({
  messageId: message.id,
  receiptHandle: message.id,
  body: message.body,
  attributes: {
    ApproximateReceiveCount: '0',
    SentTimestamp: '0',
    SenderId: 'local',
    ApproximateFirstReceiveTimestamp: '0',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:local:000000000000:callhook-dispatch-dlq',
  awsRegion: 'local',
});
