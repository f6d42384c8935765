import { isCallId } from '../calls/call-id.ts';
import type { CallRecord } from '../calls/call-record.ts';
import { stopWordOf } from '../calls/stop-words.ts';
import { ProblemError } from '../http/problem-error.ts';
import { type CallAgainDeps, callAgain, callAgainRefusal } from './call-again.ts';
import { cancelCall, type Requester, retryCall } from './operator-actions.ts';

/** The actions an operator may take on many calls at once. */
export const BULK_ACTIONS = ['retry', 'cancel', 'again'] as const;
export type BulkActionName = (typeof BULK_ACTIONS)[number];

/** The most calls one bulk request names: one page of the list. */
export const MAX_BULK_CALLS = 100;
/** Calls acted on at once. */
const BULK_CONCURRENCY = 4;

export interface BulkRequest {
  action: BulkActionName;
  call_ids: string[];
  /** Count what the action would apply to, and change nothing. */
  dry_run: boolean;
}

/** What a bulk request came to: per call, done or not and why. */
export interface BulkResult {
  action: BulkActionName;
  dry_run: boolean;
  /** The calls named (each once). */
  named: number;
  /** The calls the action applies to (dry run), or was applied to. */
  applicable: number;
  done: { call_id: string; status: string }[];
  skipped: { call_id: string; status: string | null; why: string }[];
}

const invalid = (detail: string, parameter: string) =>
  new ProblemError('invalid_filter', detail, { parameter });

/** The body of `POST /calls/bulk`: `{"action": "retry", "call_ids": [...], "dry_run": true}`. */
export const parseBulkRequest = (body: unknown): BulkRequest => {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ProblemError(
      'malformed_body',
      'Send a JSON object: {"action": "retry", "call_ids": ["c_…"], "dry_run": true}.',
    );
  const fields = body as Record<string, unknown>;
  for (const name of Object.keys(fields)) {
    if (!['action', 'call_ids', 'dry_run'].includes(name))
      throw invalid(
        `Unknown field ${JSON.stringify(name.slice(0, 64))}; send action, call_ids and dry_run.`,
        name,
      );
  }
  const { action, call_ids, dry_run } = fields;
  if (typeof action !== 'string' || !(BULK_ACTIONS as readonly string[]).includes(action))
    throw invalid(`action must be one of ${BULK_ACTIONS.join(', ')}.`, 'action');
  if (
    !Array.isArray(call_ids) ||
    call_ids.length < 1 ||
    call_ids.length > MAX_BULK_CALLS ||
    !call_ids.every((id) => typeof id === 'string' && isCallId(id))
  )
    throw invalid(`call_ids must be 1 to ${MAX_BULK_CALLS} call ids.`, 'call_ids');
  if (dry_run !== undefined && typeof dry_run !== 'boolean')
    throw invalid('dry_run must be true or false.', 'dry_run');
  return {
    action: action as BulkActionName,
    call_ids: [...new Set(call_ids as string[])],
    dry_run: dry_run === true,
  };
};

/**
 * Why the action would not apply to the call as it is now; undefined when it would. A guide for
 * the dry run only: each real action decides again on the record it writes. A call that talked
 * is never called again in bulk (one by one, confirmed twice, it may be).
 */
const refusalOf = (action: BulkActionName, record: CallRecord): string | undefined => {
  switch (action) {
    case 'retry':
      if (record.status !== 'failed' && record.status !== 'unknown')
        return 'only failed or unknown calls can be retried';
      return stopWordOf(record);
    case 'cancel':
      return ['queued', 'scheduled', 'placed'].includes(record.status)
        ? undefined
        : 'only waiting or ringing calls can be cancelled';
    case 'again':
      return callAgainRefusal(record, false);
  }
};

const ACT: Record<
  BulkActionName,
  (deps: CallAgainDeps, callId: string, by: Requester) => Promise<CallRecord>
> = {
  retry: retryCall,
  cancel: cancelCall,
  again: (deps, callId, by) => callAgain(deps, callId, by, { confirmTalked: false }),
};

/**
 * `POST /calls/bulk`: one action over the calls an operator selected (a filtered list), a few
 * at a time, each through the same decision as the single action. With `dry_run`,
 * nothing is written: the answer says which calls it would apply to.
 */
export const bulkAction = async (
  deps: CallAgainDeps,
  request: BulkRequest,
  by: Requester,
): Promise<BulkResult> => {
  type Outcome = { done: BulkResult['done'][number] } | { skipped: BulkResult['skipped'][number] };
  const one = async (callId: string): Promise<Outcome> => {
    const record = await deps.store.get(callId);
    if (record === undefined)
      return { skipped: { call_id: callId, status: null, why: 'no such call' } };
    const why = refusalOf(request.action, record);
    if (why !== undefined) return { skipped: { call_id: callId, status: record.status, why } };
    if (request.dry_run) return { done: { call_id: callId, status: record.status } };
    try {
      const changed = await ACT[request.action](deps, callId, {
        requestId: `${by.requestId} (bulk)`,
      });
      return { done: { call_id: callId, status: changed.status } };
    } catch (error) {
      if (!(error instanceof ProblemError) || error.code === 'internal_error') throw error;
      return {
        skipped: { call_id: callId, status: record.status, why: `${error.code}: ${error.message}` },
      };
    }
  };
  // A few at a time: a cancel of a ringing call waits for the provider, and the whole answer
  // must come within the API's 30 seconds.
  const outcomes: Outcome[] = new Array(request.call_ids.length);
  let next = 0;
  const worker = async () => {
    while (next < request.call_ids.length) {
      const index = next++;
      outcomes[index] = await one(request.call_ids[index] as string);
    }
  };
  await Promise.all(Array.from({ length: BULK_CONCURRENCY }, worker));
  const done = outcomes.flatMap((outcome) => ('done' in outcome ? [outcome.done] : []));
  const skipped = outcomes.flatMap((outcome) => ('skipped' in outcome ? [outcome.skipped] : []));
  return {
    action: request.action,
    dry_run: request.dry_run,
    named: request.call_ids.length,
    applicable: done.length,
    done,
    skipped,
  };
};
