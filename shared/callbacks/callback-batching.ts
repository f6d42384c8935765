/**
 * How the callbacks queue hands messages to the callbacks function: on AWS its event source
 * (`infra/aws/stateless-stack.ts`), locally the in-process queue of `npm start` and the cost
 * bench, so the three cannot drift. A batch goes when it holds `batchSize` messages, or when
 * `windowSeconds` have passed since its first message became visible: a call's queued, dialing
 * and placed callbacks, which come within a second or so of each other, share one receive, one
 * delete and one invocation, for at most `windowSeconds` more before each is sent.
 */
export const CALLBACK_BATCHING = {
  batchSize: 10,
  windowSeconds: 1,
  /** Batches in the function at once on AWS (the local runtime keeps its queues' own). */
  maxConcurrency: 5,
} as const;
