/**
 * What the API answers, as the console reads it: the types of the admin answers' schemas
 * (shared/contract/admin-schemas.ts, from which docs/openapi.json is generated). Type-only: the
 * browser bundle carries none of it.
 */
import type { Problem as ApiProblem } from '../../shared/contract/admin-schemas.ts';

export type {
  BulkResult,
  CallAgainPreview,
  CallDetail,
  CallError,
  CallEvent,
  CallList as CallPage,
  CallView,
  DialCause,
  DialView,
  FiguresReport as Figures,
  RouteFigures,
  RouteList,
  RouteSummary,
  TimelineEntry,
} from '../../shared/contract/admin-schemas.ts';

/**
 * A refusal as the console shows it: the API's problem, or one made of an answer that is not a
 * problem (a proxy's error page), whose `code` is then `http_error`.
 */
export type Problem = Pick<ApiProblem, 'status' | 'title' | 'detail'> & { code: string };
