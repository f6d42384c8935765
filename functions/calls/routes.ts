import { listCalls, type QueryParameters } from '../../shared/calls/call-list.ts';
import type { CallRecord } from '../../shared/calls/call-record.ts';
import { toCallView } from '../../shared/calls/call-view.ts';
import { figuresReport } from '../../shared/calls/figures-report.ts';
import type { CallList } from '../../shared/contract/admin-schemas.ts';
import { abandonCall, cancelCall, retryCall } from '../../shared/dispatch/operator-actions.ts';
import { callNotFound } from '../../shared/http/problem-error.ts';
import type { CallsDeps } from './deps.ts';

/** What an admin endpoint does to the call its path names; it answers with the call. */
export type CallAction = (
  deps: CallsDeps,
  callId: string,
  requestId: string,
) => Promise<CallRecord>;

/**
 * An admin endpoint's route key, as API Gateway sends it in `routeKey`: every one is about the
 * call in its path.
 */
export type CallsRouteKey = `${'GET' | 'POST'} /calls/{call_id}${string}`;

/** What an endpoint on the collection (`/calls`, no call id) answers, from its query string. */
export type CollectionAction = (deps: CallsDeps, query: QueryParameters) => Promise<unknown>;

/** The collection's route keys: `/calls` itself, and `/figures`, counted over its calls. */
export type CollectionRouteKey = `${'GET' | 'POST'} /calls` | 'GET /figures';

/**
 * The `/calls` endpoints, each declared once with what it does: the calls handler answers from
 * this table, and `infra/api-routes.ts` (the local bridge's and the AWS HTTP API's routes) is
 * built from its keys.
 */
export const CALLS_ROUTES = {
  'GET /calls/{call_id}': async (deps, callId) => {
    const record = await deps.store.get(callId);
    if (record === undefined) throw callNotFound(callId);
    return record;
  },
  'POST /calls/{call_id}/cancel': (deps, callId, requestId) =>
    cancelCall(deps, callId, { requestId }),
  'POST /calls/{call_id}/retry': (deps, callId, requestId) =>
    retryCall(deps, callId, { requestId }),
  'POST /calls/{call_id}/abandon': (deps, callId, requestId) =>
    abandonCall(deps, callId, { requestId }),
} satisfies Record<CallsRouteKey, CallAction>;

type ActionOf<Key> = Key extends `POST /calls/{call_id}/${infer Action}` ? Action : never;

/**
 * The operator's actions on a call, by the last part of their path (`retry`, `cancel`, …): the
 * CLI's `calls <action>` imports this type rather than listing them again.
 */
export type OperatorAction = ActionOf<keyof typeof CALLS_ROUTES>;

/** The endpoints on the collection, each with what it answers. */
export const CALLS_COLLECTION_ROUTES = {
  'GET /calls': async (deps, query) => {
    const page = await listCalls(deps, query);
    return {
      items: page.records.map(toCallView),
      next_cursor: page.nextCursor,
    } satisfies CallList;
  },
  'GET /figures': (deps, query) => figuresReport(deps, query),
} satisfies Partial<Record<CollectionRouteKey, CollectionAction>>;

export const CALLS_ROUTE_KEYS = [
  ...Object.keys(CALLS_COLLECTION_ROUTES),
  ...Object.keys(CALLS_ROUTES),
] as (keyof typeof CALLS_COLLECTION_ROUTES | keyof typeof CALLS_ROUTES)[];

/** The collection action of an API Gateway route key, if it is one of the table's. */
export const collectionActionFor = (routeKey: string): CollectionAction | undefined =>
  Object.hasOwn(CALLS_COLLECTION_ROUTES, routeKey)
    ? CALLS_COLLECTION_ROUTES[routeKey as keyof typeof CALLS_COLLECTION_ROUTES]
    : undefined;

/** The action of an API Gateway route key, if it is one of the table's. */
export const callActionFor = (routeKey: string): CallAction | undefined =>
  Object.hasOwn(CALLS_ROUTES, routeKey)
    ? CALLS_ROUTES[routeKey as keyof typeof CALLS_ROUTES]
    : undefined;
