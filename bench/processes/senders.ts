import { setTimeout as sleep } from 'node:timers/promises';
import { serve } from './child.ts';

/** A burst of webhooks on the `callback` route, each with its own number. */
export interface Burst {
  url: string;
  token: string;
  count: number;
  /** Requests open at once. */
  inFlight: number;
  /**
   * The API stage's throttle, a token bucket: `burst` requests at once, then `perSecond`. The
   * deployment's API Gateway answers 429 to what comes faster, and senders retry it later.
   */
  throttle: { perSecond: number; burst: number };
}

/** Posts `count` requests as the throttle admits them; the statuses, in order. */
const postAll = async (burst: Burst): Promise<number[]> => {
  const statuses: number[] = [];
  const started = performance.now();
  const { perSecond, burst: bucket } = burst.throttle;
  let next = 0;
  const worker = async () => {
    while (next < burst.count) {
      const i = next;
      next += 1;
      // The bucket starts full: request i has a token once (i + 1 - bucket) have been refilled.
      const due = started + (Math.max(0, i + 1 - bucket) * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const response = await fetch(burst.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-callhook-token': burst.token },
        body: JSON.stringify({ phone: `+7926${String(4_000_000 + i).padStart(7, '0')}` }),
      });
      await response.body?.cancel();
      statuses[i] = response.status;
    }
  };
  await Promise.all(Array.from({ length: burst.inFlight }, worker));
  return statuses;
};

// The senders, posting whatever burst they are asked to.
serve(true, postAll, async () => undefined);
