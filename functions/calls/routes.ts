import { listCalls, type QueryParameters } from '../../shared/calls/call-list.ts';
import type { CallRecord } from '../../shared/calls/call-record.ts';
import { toCallEvent, toCallView } from '../../shared/calls/call-view.ts';
import { figuresReport } from '../../shared/calls/figures-report.ts';
import { routesOf } from '../../shared/config/route-summary.ts';
import type { CallList } from '../../shared/contract/admin-schemas.ts';
import { bulkAction, parseBulkRequest } from '../../shared/dispatch/bulk-actions.ts';
import { callAgain, callAgainPreview } from '../../shared/dispatch/call-again.ts';
import { callsByContact, parseContactSearch } from '../../shared/dispatch/contact-search.ts';
import { abandonCall, cancelCall, retryCall } from '../../shared/dispatch/operator-actions.ts';
import { callNotFound } from '../../shared/http/problem-error.ts';
import { booleanField, noQuery, objectBody } from './body.ts';
import type { CallsDeps } from './deps.ts';

/**
 * What an admin endpoint does to the call its path names; it answers with the call. `body`
 * reads the request's JSON body (undefined when it sent none; a body that is not JSON is a 400).
 */
export type CallAction = (
  deps: CallsDeps,
  callId: string,
  requestId: string,
  body: () => unknown,
) => Promise<CallRecord>;

/**
 * An admin endpoint's route key, as API Gateway sends it in `routeKey`: every one is about the
 * call in its path.
 */
export type CallsRouteKey = `${'GET' | 'POST'} /calls/{call_id}${string}`;

/** What an endpoint on the collection (no call id) answers, from its query string and body. */
export type CollectionAction = (
  deps: CallsDeps,
  query: QueryParameters,
  body: () => unknown,
  requestId: string,
) => Promise<unknown>;

/**
 * The collection's route keys: `/calls` itself, its search and bulk actions, `/figures`,
 * counted over its calls, and `/routes`, the configured routes.
 */
export type CollectionRouteKey =
  | `${'GET' | 'POST'} /calls`
  | `POST /calls/${'search' | 'bulk'}`
  | 'GET /figures'
  | 'GET /routes';

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
  'POST /calls/{call_id}/again': (deps, callId, requestId, body) => {
    const fields = objectBody(body(), ['confirm_talked']);
    return callAgain(
      deps,
      callId,
      { requestId },
      { confirmTalked: booleanField(fields, 'confirm_talked') },
    );
  },
} satisfies Record<CallsRouteKey, CallAction>;

/** Reads about one call that answer with something else than the call. */
export const CALL_READS = {
  'GET /calls/{call_id}/again': (deps: CallsDeps, callId: string) => callAgainPreview(deps, callId),
  'GET /calls/{call_id}/event': async (deps: CallsDeps, callId: string) => {
    const kept = await deps.keptEvents.keptOf(callId);
    // Most calls have one: the record is read only to tell a call without one from no call.
    if (kept === undefined && (await deps.store.get(callId)) === undefined)
      throw callNotFound(callId);
    return toCallEvent(callId, kept);
  },
} satisfies Record<CallsRouteKey, (deps: CallsDeps, callId: string) => Promise<unknown>>;

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
  'POST /calls/search': async (deps, query, body) => {
    noQuery(query, 'POST /calls/search');
    const records = await callsByContact(deps, parseContactSearch(body()));
    return { items: records.map(toCallView), next_cursor: null } satisfies CallList;
  },
  'POST /calls/bulk': (deps, query, body, requestId) => {
    noQuery(query, 'POST /calls/bulk');
    return bulkAction(deps, parseBulkRequest(body()), { requestId });
  },
  'GET /figures': (deps, query) => figuresReport(deps, query),
  'GET /routes': async (deps, query) => {
    noQuery(query, 'GET /routes');
    return routesOf(deps.config);
  },
} satisfies Partial<Record<CollectionRouteKey, CollectionAction>>;

export const CALLS_ROUTE_KEYS = [
  ...Object.keys(CALLS_COLLECTION_ROUTES),
  ...Object.keys(CALL_READS),
  ...Object.keys(CALLS_ROUTES),
] as (keyof typeof CALLS_COLLECTION_ROUTES | keyof typeof CALL_READS | keyof typeof CALLS_ROUTES)[];

/** The collection action of an API Gateway route key, if it is one of the table's. */
export const collectionActionFor = (routeKey: string): CollectionAction | undefined =>
  Object.hasOwn(CALLS_COLLECTION_ROUTES, routeKey)
    ? CALLS_COLLECTION_ROUTES[routeKey as keyof typeof CALLS_COLLECTION_ROUTES]
    : undefined;

/** The read of an API Gateway route key about one call, if it is one of the table's. */
export const callReadFor = (
  routeKey: string,
): ((deps: CallsDeps, callId: string) => Promise<unknown>) | undefined =>
  Object.hasOwn(CALL_READS, routeKey) ? CALL_READS[routeKey as keyof typeof CALL_READS] : undefined;

/** The action of an API Gateway route key, if it is one of the table's. */
export const callActionFor = (routeKey: string): CallAction | undefined =>
  Object.hasOwn(CALLS_ROUTES, routeKey)
    ? CALLS_ROUTES[routeKey as keyof typeof CALLS_ROUTES]
    : undefined;
