/**
 * What the simulator can do wrong, on purpose:
 * - `delay`: answer normally, `ms` later;
 * - `http_502`: a gateway error, the request never processed;
 * - `internal_error`: a JSON-RPC `-32603`, not processed;
 * - `drop_before`: close the connection without processing;
 * - `drop_after`: process the request (a call is created) and close without answering.
 */
export type Fault =
  | { mode: 'delay'; ms: number }
  | { mode: 'http_502' }
  | { mode: 'internal_error' }
  | { mode: 'drop_before' }
  | { mode: 'drop_after' };

export interface FaultRule {
  fault: Fault;
  /** Only requests for this method; all methods when absent. */
  method?: string;
  /** How many requests it hits; every request until cleared when absent. */
  times?: number;
}

/** The active fault rules; the first rule matching a request applies and is used up. */
export class FaultPlan {
  #rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    this.#rules.push({ ...rule });
  }

  clear(): void {
    this.#rules = [];
  }

  take(method: string): Fault | undefined {
    const index = this.#rules.findIndex((r) => r.method === undefined || r.method === method);
    const rule = this.#rules[index];
    if (rule === undefined) return undefined;
    if (rule.times !== undefined) {
      rule.times -= 1;
      if (rule.times <= 0) this.#rules.splice(index, 1);
    }
    return rule.fault;
  }
}

const FAULT_MODES = ['delay', 'http_502', 'internal_error', 'drop_before', 'drop_after'];

/** Reads a fault rule sent to the admin endpoint; undefined when it is not one. */
export const parseFaultRule = (value: unknown): FaultRule | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const { fault, method, times } = value as Record<string, unknown>;
  if (typeof fault !== 'object' || fault === null) return undefined;
  const mode = (fault as Record<string, unknown>).mode;
  if (typeof mode !== 'string' || !FAULT_MODES.includes(mode)) return undefined;
  if (mode === 'delay' && typeof (fault as Record<string, unknown>).ms !== 'number')
    return undefined;
  if (method !== undefined && typeof method !== 'string') return undefined;
  if (times !== undefined && (typeof times !== 'number' || times < 1)) return undefined;
  return value as FaultRule;
};
