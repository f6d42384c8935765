import { CALL_RESULTS } from '../../../shared/calls/call-result.ts';
import { CALL_STATUSES } from '../../../shared/calls/call-status.ts';

/** The filters of `GET /calls` that `calls ls` and `calls export` take, one option each. */
export const LIST_FILTER_OPTIONS = {
  status: { type: 'string' },
  result: { type: 'string' },
  route: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  last4: { type: 'string' },
} as const;

export const LIST_FILTER_HELP: [string, string][] = [
  ['--status <s,s>', `one or more of ${CALL_STATUSES.join(', ')}`],
  ['--result <r,r>', `how the last attempt ended: ${CALL_RESULTS.join(', ')}`],
  ['--route <name>', 'the route’s calls'],
  ['--since <time>', 'created at or after (ISO 8601: 2025-03-01, 2025-03-01T09:00:00Z)'],
  ['--until <time>', 'created at or before'],
  ['--last4 <dddd>', 'the contact’s last 4 digits'],
];

/**
 * The query those options make, the values as given: the API checks them (a bad one is its
 * `400 invalid_filter`), so the CLI never disagrees with the API it talks to.
 */
export const listFiltersOf = (
  values: {
    [Name in keyof typeof LIST_FILTER_OPTIONS]?: string | undefined;
  },
) => ({
  status: values.status,
  result: values.result,
  route: values.route,
  since: values.since,
  until: values.until,
  contact_last4: values.last4,
});
