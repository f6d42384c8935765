import { Webhook } from 'standardwebhooks';
import type { CallbackDelivery } from '../calls/call-record.ts';
import type { CallhookConfig } from '../config/schema.ts';
import { type BackoffSettings, retryDelayMs } from '../dispatch/backoff.ts';
import type { Logger } from '../logging/logger.ts';
import { readSecret } from '../secrets/secret-shapes.ts';
import type { SecretStore } from '../secrets/secrets.ts';
import type { CallbackLog } from './callback-log.ts';
import type { CallbackMessage, CallbackQueue } from './callback-message.ts';

export interface CallbackDeps {
  config: CallhookConfig;
  secrets: SecretStore;
  queue: CallbackQueue;
  /** Where each attempt's result is noted, for the call's timeline. */
  log: CallbackLog;
  logger: Logger;
  now: () => Date;
  backoff?: BackoffSettings;
  /** Attempts before a callback is given up. */
  maxAttempts?: number;
  timeoutMs?: number;
}

export const DEFAULT_CALLBACK_BACKOFF: BackoffSettings = { baseMs: 10_000, maxMs: 900_000 };
export const DEFAULT_MAX_ATTEMPTS = 10;
/** How long a receiver has to answer before the attempt counts as failed. */
export const CALLBACK_TIMEOUT_MS = 10_000;

export type DeliveryOutcome = 'delivered' | 'retrying' | 'abandoned' | 'no_route';

/**
 * POSTs one status callback, signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`). A receiver that fails or
 * does not answer gets the same body again later, through the queue with a growing delay; the
 * dispatcher never waits for it.
 */
export const deliverCallback = async (
  deps: CallbackDeps,
  message: CallbackMessage,
): Promise<DeliveryOutcome> => {
  const route = deps.config.routes[message.route];
  if (route?.callback_url === undefined || route.callback_secret === undefined) return 'no_route';
  const signer = new Webhook(
    await readSecret(deps.secrets, route.callback_secret, 'standard-webhooks-key'),
  );
  const sentAt = deps.now();
  let failure: string;
  let statusCode: number | undefined;
  try {
    const response = await fetch(route.callback_url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': message.webhook_id,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signer.sign(message.webhook_id, sentAt, message.body),
      },
      body: message.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.timeoutMs ?? CALLBACK_TIMEOUT_MS),
    });
    await response.body?.cancel();
    statusCode = response.status;
    if (response.ok) {
      await noteDelivery(deps, message, { outcome: 'delivered', at: sentAt, statusCode });
      return 'delivered';
    }
    failure = `HTTP ${response.status}`;
  } catch (error) {
    // The code (ECONNREFUSED, TimeoutError), not the message: a URL may carry a token.
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    failure = typeof code === 'string' ? code : error instanceof Error ? error.name : 'failed';
  }

  const maxAttempts = deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const context = { webhook_id: message.webhook_id, attempt: message.attempt, failure };
  if (message.attempt >= maxAttempts) {
    deps.logger.error('status callback abandoned', { ...context, metric: 'CallbackAbandoned' });
    await noteDelivery(deps, message, { outcome: 'abandoned', at: sentAt, statusCode, failure });
    return 'abandoned';
  }
  const delayMs = retryDelayMs(message.attempt, deps.backoff ?? DEFAULT_CALLBACK_BACKOFF);
  await deps.queue.send(
    { ...message, attempt: message.attempt + 1 },
    { delaySeconds: delayMs / 1000 },
  );
  deps.logger.warn('status callback will be retried', context);
  await noteDelivery(deps, message, {
    outcome: 'retrying',
    at: sentAt,
    statusCode,
    failure,
    nextAttemptAt: new Date(sentAt.getTime() + delayMs),
  });
  return 'retrying';
};

/**
 * Notes an attempt in the call's timeline. Best effort: the receiver has its answer either way,
 * and failing the message here would post the same callback again.
 */
const noteDelivery = async (
  deps: CallbackDeps,
  message: CallbackMessage,
  attempt: {
    outcome: CallbackDelivery['outcome'];
    at: Date;
    statusCode?: number | undefined;
    failure?: string;
    nextAttemptAt?: Date;
  },
): Promise<void> => {
  if (message.call_id === undefined) return;
  const delivery: CallbackDelivery = {
    webhook_id: message.webhook_id,
    attempts: message.attempt,
    outcome: attempt.outcome,
    at: attempt.at.toISOString(),
    ...(message.status !== undefined && { status: message.status }),
    ...(attempt.statusCode !== undefined && { status_code: attempt.statusCode }),
    ...(attempt.failure !== undefined && { last_error: attempt.failure }),
    ...(attempt.nextAttemptAt !== undefined && {
      next_attempt_at: attempt.nextAttemptAt.toISOString(),
    }),
  };
  try {
    await deps.log.recordDelivery(message.call_id, delivery);
  } catch (error) {
    deps.logger.warn('could not note a status callback delivery', {
      webhook_id: message.webhook_id,
      error,
    });
  }
};
