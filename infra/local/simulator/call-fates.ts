/**
 * How a simulated call ends. The simulator never rings a phone, so it decides, per call, what
 * the provider's report will say about it: by default from the last digit of the number called,
 *
 * | last digit | fate              | the report's `finish_reason` |
 * | ---------- | ----------------- | ---------------------------- |
 * | 0 to 5     | `talked`          | `subscriber_disconnects`     |
 * | 6          | `no_answer`       | `subscriber_not_responsible` |
 * | 7          | `busy`            | `subscriber_busy`            |
 * | 8          | `operator_missed` | `operator_not_responsible`   |
 * | 9          | `rejected`        | `subscriber_disconnects`     |
 *
 * (docs/operating.md repeats this table), or as `POST /_simulator/outcomes` set it for the next
 * calls to a number (`FatePlan`). The demo's own numbers end in 0: they talk.
 */
export const FATE_NAMES = ['talked', 'no_answer', 'busy', 'operator_missed', 'rejected'] as const;
export type FateName = (typeof FATE_NAMES)[number];

export interface CallFate {
  name: FateName;
  /** The session's reason (a talked call's is who hung up); any documented one may be set. */
  finish_reason: string;
  /** Seconds the customer waited, and talked; by default taken from the call's length. */
  wait_s?: number;
  talk_s?: number;
}

const DEFAULT_REASON: Record<FateName, string> = {
  talked: 'subscriber_disconnects',
  no_answer: 'subscriber_not_responsible',
  busy: 'subscriber_busy',
  operator_missed: 'operator_not_responsible',
  rejected: 'subscriber_disconnects',
};

const BY_LAST_DIGIT: Record<string, FateName> = {
  '6': 'no_answer',
  '7': 'busy',
  '8': 'operator_missed',
  '9': 'rejected',
};

/** The fate a number gets when no rule names it. */
export const fateByLastDigit = (contact: string): CallFate => {
  const name = BY_LAST_DIGIT[contact.at(-1) ?? ''] ?? 'talked';
  return { name, finish_reason: DEFAULT_REASON[name] };
};

/** A rule `POST /_simulator/outcomes` adds: the fate of the next calls to `contact` (or any). */
export interface FateRule {
  fate: FateName;
  /** E.164 digits; every number when absent. */
  contact?: string;
  finish_reason?: string;
  wait_s?: number;
  talk_s?: number;
  /** How many calls it decides; every call until cleared when absent. */
  times?: number;
}

const isCount = (value: unknown) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** Reads a rule sent to the admin endpoint; undefined when it is not one. */
export const parseFateRule = (value: unknown): FateRule | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const rule = value as Record<string, unknown>;
  if (!(FATE_NAMES as readonly unknown[]).includes(rule.fate)) return undefined;
  if (
    rule.contact !== undefined &&
    !(typeof rule.contact === 'string' && /^\d{7,15}$/.test(rule.contact))
  )
    return undefined;
  if (rule.finish_reason !== undefined && typeof rule.finish_reason !== 'string') return undefined;
  for (const field of ['wait_s', 'talk_s'] as const) {
    if (rule[field] !== undefined && !isCount(rule[field])) return undefined;
  }
  if (rule.times !== undefined && !(isCount(rule.times) && (rule.times as number) >= 1))
    return undefined;
  return rule as unknown as FateRule;
};

/** The admin's rules; the first matching a call decides it and is used up. */
export class FatePlan {
  #rules: FateRule[] = [];

  add(rule: FateRule): void {
    this.#rules.push({ ...rule });
  }

  clear(): void {
    this.#rules = [];
  }

  /** The fate of a new call to `contact`. */
  take(contact: string): CallFate {
    const index = this.#rules.findIndex((r) => r.contact === undefined || r.contact === contact);
    const rule = this.#rules[index];
    if (rule === undefined) return fateByLastDigit(contact);
    if (rule.times !== undefined) {
      rule.times -= 1;
      if (rule.times <= 0) this.#rules.splice(index, 1);
    }
    return {
      name: rule.fate,
      finish_reason: rule.finish_reason ?? DEFAULT_REASON[rule.fate],
      ...(rule.wait_s !== undefined && { wait_s: rule.wait_s }),
      ...(rule.talk_s !== undefined && { talk_s: rule.talk_s }),
    };
  }
}
