/**
 * The HTTP contract, shared by the local bridge and the AWS HTTP API: each route and the
 * function that serves it.
 */
export const API_ROUTES = [
  { method: 'POST', path: '/hooks/{route}', function: 'ingest' },
  { method: 'GET', path: '/calls/{call_id}', function: 'calls' },
  { method: 'POST', path: '/calls/{call_id}/cancel', function: 'calls' },
  { method: 'POST', path: '/calls/{call_id}/retry', function: 'calls' },
  { method: 'POST', path: '/calls/{call_id}/abandon', function: 'calls' },
  { method: 'POST', path: '/events/{account}', function: 'events' },
  { method: 'GET', path: '/health', function: 'health' },
] as const;

export type ApiFunction = (typeof API_ROUTES)[number]['function'];
