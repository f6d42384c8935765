import { SqsQueue } from '../../shared/adapters/aws/sqs-queue.ts';
import type { CallbackMessage } from '../../shared/callbacks/callback-message.ts';
import type { DispatchMessage } from '../../shared/calls/dispatch-queue.ts';
import { requireEnv } from './env.ts';

export const dispatchQueue = () =>
  new SqsQueue<DispatchMessage>({ queueUrl: requireEnv('DISPATCH_QUEUE_URL'), clientConfig: {} });

export const callbackQueue = () =>
  new SqsQueue<CallbackMessage>({ queueUrl: requireEnv('CALLBACK_QUEUE_URL'), clientConfig: {} });
