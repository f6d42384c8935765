import type { SimulatedCall } from './simulated-account.ts';

/**
 * The provider's HTTP notifications, simulated: when a call the simulator accepted ends (its
 * duration runs out, or `release.call` hangs it up), an "ended" event is posted to the target,
 * in the shape of the template docs/operating.md tells users to paste.
 */
export class CallNotifier {
  #target: string | undefined;
  readonly #pending = new Map<number, NodeJS.Timeout>();

  /** Where events go; none are sent until a target is set. */
  setTarget(url: string | undefined): void {
    this.#target = url;
  }

  /** A call that ends `durationMs` from now, with `talkedMs` of conversation. */
  started(call: SimulatedCall, durationMs: number, talkedMs = durationMs): void {
    if (this.#target === undefined) return;
    const timer = setTimeout(() => this.#ended(call, talkedMs, 'the call ended'), durationMs);
    timer.unref();
    this.#pending.set(call.call_session_id, timer);
  }

  released(call: SimulatedCall, talkedMs: number): void {
    this.#ended(call, talkedMs, 'released');
  }

  clear(): void {
    for (const timer of this.#pending.values()) clearTimeout(timer);
    this.#pending.clear();
  }

  #ended(call: SimulatedCall, talkedMs: number, finishReason: string): void {
    clearTimeout(this.#pending.get(call.call_session_id));
    this.#pending.delete(call.call_session_id);
    const target = this.#target;
    if (target === undefined) return;
    const body = {
      event: 'ended',
      call_session_id: call.call_session_id,
      external_id: call.params.external_id ?? '',
      talk_time_duration: Math.round(talkedMs / 1000),
      finish_reason: finishReason,
    };
    // A provider does not wait for its notifications either; a failure is the receiver's.
    void fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
      .then((response) => response.body?.cancel())
      .catch(() => undefined);
  }
}
