import type { ProblemCode } from '../../http/problem-error.ts';
import { ProblemError } from '../../http/problem-error.ts';
import { callRequest } from './call-request.ts';
import { callableNumber } from './callable-number.ts';
import { contactCap } from './contact-cap.ts';
import { contactWindow } from './contact-window.ts';
import type { Candidate, Guardrail, GuardrailDeps, Hold } from './guardrail.ts';
import { messageLength } from './message-length.ts';
import { ownNumber } from './own-number.ts';
import { testEvent } from './test-event.ts';

/**
 * Every guardrail of ingest, in the order an event meets them: the first refusal is the one
 * the sender hears. `SKIP_REASONS`, the ports ingest needs for them and the table of skip
 * reasons in docs/http-contract.md are all made from this list.
 */
export const GUARDRAILS = [
  testEvent,
  callableNumber,
  ownNumber,
  messageLength,
  callRequest,
  // Before the cap: an event merged into another call's is no call, and uses none of the cap.
  contactWindow,
  contactCap,
] as const;

type Registered = (typeof GUARDRAILS)[number];
type CodesOf<G> = G extends { readonly refuses: infer R } ? keyof R & ProblemCode : never;
type PortsOf<G> = G extends { readonly ports?: infer P } ? NonNullable<P> : never;
type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void
  ? I
  : never;

/**
 * Skips no guardrail makes: records stored ahead of their event, which ingest then finds in
 * its place (`shared/ingest/sender-cancel.ts`), with when each is stored, for the docs' table.
 */
const RECORDED_SKIPS = {
  cancelled_by_sender:
    "a cancelling route (`cancels`) named the event's call before the event came: the call is stored skipped, and the event finds it so",
} as const satisfies Partial<Record<ProblemCode, string>>;

/**
 * The codes of the guardrails' refusals (an authentic event refused with one is kept as
 * `skipped`), and the skips stored ahead of their event.
 */
export type SkipReason = CodesOf<Registered> | keyof typeof RECORDED_SKIPS;

/** The ports the stateful guardrails work with, by their names in `IngestDeps`. */
export type GuardrailPorts = Intersection<PortsOf<Registered>>;

const codesOf = (entry: Registered): CodesOf<Registered>[] =>
  Object.keys(entry.refuses) as CodesOf<Registered>[];
const RECORDED = Object.keys(RECORDED_SKIPS) as (keyof typeof RECORDED_SKIPS)[];

/**
 * The refusals of an authentic event that say "this event must not ring", not "this request is
 * wrong": such an event is kept as `skipped`, so that the sender's retries of it are duplicates,
 * and a sender that switches webhooks off after failures can be answered 2xx.
 */
export const SKIP_REASONS: readonly SkipReason[] = [...GUARDRAILS.flatMap(codesOf), ...RECORDED];

/** A skip reason, its guardrail's account of when, and whether a `reject` route keeps it. */
export const skipReasons = (): { code: SkipReason; when: string; keptOnReject: boolean }[] => [
  ...GUARDRAILS.flatMap((entry) =>
    codesOf(entry).map((code) => ({
      code,
      when: (entry.refuses as Record<string, string>)[code] ?? '',
      keptOnReject: entry.skipped === 'always',
    })),
  ),
  // Stored before the event came, so kept whatever the route answers.
  ...RECORDED.map((code) => ({ code, when: RECORDED_SKIPS[code], keptOnReject: true })),
];

const guardrailOf = new Map<string, Registered>(
  GUARDRAILS.flatMap((entry) => codesOf(entry).map((code) => [code, entry] as const)),
);

export type Refusal = ProblemError & { code: CodesOf<Registered> };

export const isSkipReason = (error: unknown): error is Refusal =>
  error instanceof ProblemError && guardrailOf.has(error.code);

/** Whether a refusal on a `reject` route is stored as `skipped` before it is answered. */
export const keptOnReject = (refusal: Refusal): boolean =>
  guardrailOf.get(refusal.code)?.skipped === 'always';

const refuse = (
  code: ProblemCode,
  detail: string,
  headers?: Record<string, string>,
  extensions: Record<string, unknown> = {},
) => new ProblemError(code, detail, extensions, headers === undefined ? undefined : { headers });

/**
 * Runs the event through every guardrail in order: the first refusal (returned, or thrown by
 * what a guardrail read) ends it, and what the guardrails before it took is given back (the
 * event places no call); otherwise what the stateful ones took, to give back if the event turns
 * out to be stored already.
 */
export const runGuardrails = async (
  candidate: Candidate,
  deps: GuardrailPorts & GuardrailDeps,
): Promise<{ refusal: Refusal } | { holds: Hold[] }> => {
  const holds: Hold[] = [];
  for (const entry of GUARDRAILS as readonly Guardrail<ProblemCode, GuardrailPorts>[]) {
    let verdict: Awaited<ReturnType<typeof entry.check>>;
    try {
      verdict = await entry.check(candidate, refuse, deps);
    } catch (error) {
      if (!isSkipReason(error)) throw error;
      verdict = error;
    }
    if (verdict instanceof ProblemError) {
      if (!isSkipReason(verdict)) throw verdict;
      for (const hold of holds.toReversed()) await hold.release?.();
      return { refusal: verdict };
    }
    if (verdict !== undefined) holds.push(verdict);
  }
  return { holds };
};
