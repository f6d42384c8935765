import { component, type Parameter, problem } from '../operations.ts';

/** The parameter and the refusals several operations share, written once under `components`. */

export const CALL_ID_PARAMETER = component<Parameter>('CallId', {
  name: 'call_id',
  in: 'path',
  required: true,
  description:
    'The call’s id: `c_` and 32 hex digits. Any other id is answered `404 call_not_found` without a look-up.',
  // Not the id's pattern: a malformed id is answered 404 like an unknown one, not 400.
  schema: { type: 'string' },
});

export const ADMIN_UNAUTHORIZED = component(
  'AdminUnauthorized',
  problem('The admin key is missing or wrong.', ['unauthorized']),
);

export const CALL_NOT_FOUND = component(
  'CallNotFound',
  problem('No call with that id.', ['call_not_found']),
);

export const INTERNAL_ERROR = component(
  'InternalError',
  problem('A fault on callhook’s side; the body says nothing more, the log has the details.', [
    'internal_error',
  ]),
);

/** In the order `components.parameters` and `components.responses` list them. */
export const COMPONENT_PARAMETERS = [CALL_ID_PARAMETER];
export const COMPONENT_RESPONSES = [ADMIN_UNAUTHORIZED, CALL_NOT_FOUND, INTERNAL_ERROR];
