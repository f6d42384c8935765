import { payloadLines } from '../../console/src/payload-lines.ts';
import { KEPT_PAYLOAD_BYTES } from '../../shared/calls/kept-event.ts';
import type {
  CallDetail,
  CallEvent,
  CallList,
  CallStatus,
  CallView,
  DialView,
  TimelineEntry,
} from '../../shared/contract/admin-schemas.ts';
import { CliError } from './exit-codes.ts';
import {
  type Cell,
  printable,
  renderPairs,
  renderTable,
  type Style,
  shortTime,
  type Tone,
} from './format.ts';

/** What the API answers: `GET /calls/{id}` (with its timeline), an action (without), a page. */
export type { CallDetail, CallView, DialView };
export type CallPage = CallList;

const notTheApi = () =>
  new CliError('unreachable', 'the answer is not one of callhook’s: is --url callhook’s API?');

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

const isList = (value: unknown): boolean => Array.isArray(value) && value.every(isObject);
const isObjectOrNull = (value: unknown): boolean => value === null || isObject(value);

/**
 * Whether a value has a call's shape where the views below reach into it (its id, the objects
 * and lists they open); the texts inside may be anything, since every one is shown escaped.
 */
const isCall = (value: unknown): boolean =>
  isObject(value) &&
  typeof value.call_id === 'string' &&
  isObjectOrNull(value.error) &&
  isObjectOrNull(value.outcome) &&
  isList(value.history) &&
  (value.timeline === undefined || isList(value.timeline)) &&
  // An API from before attempts has no `dials`; one that has them opens each one's error.
  (value.dials === undefined ||
    (isList(value.dials) &&
      (value.dials as Record<string, unknown>[]).every((dial) =>
        isObjectOrNull(dial.error ?? null),
      )));

/** A `GET /calls` answer, or exit 3: a 200 from something else is not a page of calls. */
export const asCallPage = (body: unknown): CallPage => {
  if (isObject(body) && Array.isArray(body.items) && body.items.every(isCall))
    return body as unknown as CallPage;
  throw notTheApi();
};

/** A call, as `GET /calls/{id}` and the actions answer with it, or exit 3. */
export const asCall = (body: unknown): CallView | CallDetail => {
  if (isCall(body)) return body as unknown as CallView;
  throw notTheApi();
};

/** Each status's colour: what went well green, what needs a look yellow or red. */
const STATUS_TONES: Record<CallStatus, Tone | undefined> = {
  queued: 'cyan',
  scheduled: 'cyan',
  dialing: 'cyan',
  placed: 'green',
  completed: 'green',
  failed: 'red',
  cancelled: 'dim',
  unknown: 'yellow',
  skipped: 'dim',
};

const CALLBACK_TONES: Record<Extract<TimelineEntry, { type: 'callback' }>['outcome'], Tone> = {
  delivered: 'green',
  retrying: 'yellow',
  abandoned: 'red',
};

// A newer API may send a status this CLI does not know: shown as it is, uncoloured.
const statusCell = (status: string): Cell => ({
  text: status,
  tone: Object.hasOwn(STATUS_TONES, status) ? STATUS_TONES[status as CallStatus] : undefined,
});

const orDash = (value: string | number | null | undefined): string =>
  value === null || value === undefined || value === '' ? '-' : String(value);

/** Why a call is where it is, in a few words: its error's reason, or when a scheduled one is due. */
const noteOf = (call: CallView): string =>
  call.error?.reason ?? (call.status === 'scheduled' ? `due ${shortTime(call.due_at)}` : '');

/** `calls ls`: one line per call, then how to ask for the next page when there is one. */
export const formatCallPage = (page: CallPage, style: Style): string => {
  const lines: string[] = [];
  if (page.items.length === 0) lines.push('no calls');
  else
    lines.push(
      renderTable(
        ['CALL ID', 'STATUS', 'ROUTE', 'CONTACT', 'TRIES', 'CREATED', 'NOTE'],
        page.items.map((call) => [
          call.call_id,
          statusCell(call.status),
          call.route,
          orDash(call.contact),
          String(call.attempts),
          shortTime(call.created_at),
          noteOf(call),
        ]),
        style,
      ),
    );
  // The cursor is the server's text too: escaped like every cell.
  if (page.next_cursor !== null)
    lines.push('', `next page: --cursor ${printable(String(page.next_cursor))}`);
  return lines.join('\n');
};

const outcomeOf = (outcome: CallView['outcome']): string => {
  if (outcome === null) return '-';
  const parts = [
    outcome.answered === undefined ? undefined : outcome.answered ? 'answered' : 'not answered',
    outcome.duration_s === undefined ? undefined : `${outcome.duration_s} s`,
    outcome.ended_at === undefined ? undefined : `ended ${shortTime(outcome.ended_at)}`,
  ];
  return orDash(parts.filter((part) => part !== undefined).join(', '));
};

const timelineRow = (entry: TimelineEntry): (string | Cell)[] => {
  if (entry.type === 'status')
    return [shortTime(entry.at), 'status', statusCell(entry.status), entry.reason ?? ''];
  if (entry.type === 'provider_event') {
    const detail = [
      entry.finish_reason,
      entry.talk_time_duration === null ? null : `talked ${entry.talk_time_duration} s`,
    ];
    return [
      shortTime(entry.at),
      'provider',
      orDash(entry.event),
      detail.filter((part) => part !== null).join(', '),
    ];
  }
  if (entry.type === 'report') {
    const reason = entry.finish_reason === null ? '' : ` (${entry.finish_reason})`;
    return [
      shortTime(entry.at),
      'report',
      `attempt ${entry.attempt}: ${entry.result}`,
      `${entry.talk_s} s talk, ${entry.wait_s} s wait${reason}`,
    ];
  }
  const detail = [
    entry.status === null ? null : `reports ${entry.status}`,
    entry.status_code === null ? null : `HTTP ${entry.status_code}`,
    `${entry.attempts} ${entry.attempts === 1 ? 'attempt' : 'attempts'}`,
    entry.last_error === null ? null : `last error ${entry.last_error}`,
    entry.next_attempt_at === null ? null : `next try ${shortTime(entry.next_attempt_at)}`,
  ];
  return [
    shortTime(entry.at),
    'callback',
    { text: entry.outcome, tone: CALLBACK_TONES[entry.outcome] },
    detail.filter((part) => part !== null).join(', '),
  ];
};

const errorText = (error: { reason: string; message: string } | null): string =>
  error === null ? '-' : `${error.reason}: ${error.message}`;

/** One attempt: why it was made, what it was placed as, when it was answered, how it ended. */
const dialRow = (dial: DialView, current: number | undefined): (string | Cell)[] => {
  const result =
    dial.result === null
      ? '-'
      : `${dial.result}${dial.finish_reason === null ? '' : ` (${dial.finish_reason})`}`;
  const note = [
    dial.went_unknown === true ? 'went unknown' : null,
    dial.error == null ? null : errorText(dial.error),
  ].filter((part) => part !== null);
  return [
    dial.attempt === current
      ? { text: `${dial.attempt} (current)`, tone: 'bold' }
      : String(dial.attempt),
    dial.cause,
    dial.external_id,
    orDash(dial.call_session_id),
    shortTime(dial.answered_at),
    shortTime(dial.ended_at),
    result,
    note.join('; '),
  ];
};

/**
 * `calls get` and the actions: the call's fields (`attempt`, the one it is on), a table of its
 * attempts (each with its own external id), then its timeline (`GET /calls/{id}`), or its
 * history where the answer has no timeline (an action's).
 */
export const formatCall = (call: CallView | CallDetail, style: Style): string => {
  const pairs: [string, string | Cell][] = [
    ['call_id', call.call_id],
    ['status', statusCell(call.status)],
    ['route', call.route],
    ['method', orDash(call.method)],
    ['contact', orDash(call.contact)],
    // The attempt the call is on (a redial or a retry is the next); `attempts`, the tries at
    // sending it. An API from before attempts has no `attempt`.
    ['attempt', orDash(call.attempt)],
    ['attempts', String(call.attempts)],
    ['call_session_id', orDash(call.call_session_id)],
    ['due_at', shortTime(call.due_at)],
    ['created_at', shortTime(call.created_at)],
    ['updated_at', shortTime(call.updated_at)],
    ['error', errorText(call.error)],
    ['outcome', outcomeOf(call.outcome)],
    // Only a skipped duplicate contact has one (an older API none at all): no row otherwise.
    ...(call.duplicate_of == null ? [] : [['duplicate_of', call.duplicate_of] as [string, string]]),
    // Only a route that escalates, and the call an escalation made, have these.
    ...(call.escalation == null
      ? []
      : [['escalation', escalationText(call.escalation)] as [string, string]]),
    ...(call.escalated_from == null
      ? []
      : [['escalated_from', call.escalated_from] as [string, string]]),
  ];
  const entries: TimelineEntry[] =
    'timeline' in call
      ? call.timeline
      : call.history.map((entry) => ({
          type: 'status',
          at: entry.at,
          status: entry.status,
          reason: entry.reason ?? null,
        }));
  const title = 'timeline' in call ? 'timeline' : 'history';
  const lines = [renderPairs(pairs, style)];
  const dials = call.dials ?? [];
  if (dials.length > 0)
    lines.push(
      '',
      style.paint('attempts', 'bold'),
      renderTable(
        ['ATTEMPT', 'CAUSE', 'EXTERNAL ID', 'SESSION', 'ANSWERED', 'ENDED', 'RESULT', 'NOTE'],
        dials.map((dial) => dialRow(dial, call.attempt)),
        style,
      ),
    );
  if (entries.length > 0)
    lines.push(
      '',
      style.paint(title, 'bold'),
      renderTable(['AT', 'TYPE', 'STATE', 'DETAIL'], entries.map(timelineRow), style),
    );
  return lines.join('\n');
};

/** A route's escalation as one line: where to, its state, the linked call, and why not. */
const escalationText = (escalation: NonNullable<CallView['escalation']>): string =>
  `${escalation.state} → ${escalation.to} ${escalation.call_id}${escalation.reason === null ? '' : ` (${escalation.reason})`}`;

/** A `GET /calls/{id}/event` answer, or exit 3: its payload and the fields it names are opened. */
const asEvent = (body: unknown): CallEvent => {
  if (
    isObject(body) &&
    (body.payload === null || isObject(body.payload)) &&
    isList(body.read) &&
    (body.read as Record<string, unknown>[]).every(
      (entry) => Array.isArray(entry.path) && Array.isArray(entry.as),
    )
  )
    return body as unknown as CallEvent;
  throw notTheApi();
};

/**
 * The event a call was made for, as kept: its payload as indented JSON (masked by the server),
 * the fields the route read in bold, each with what it was read as.
 */
export const formatEvent = (body: unknown, style: Style): string => {
  const event = asEvent(body);
  if (event.payload === null) return `${style.paint('event as received', 'bold')}\nnone kept`;
  const size = event.received_bytes === null ? '' : `${event.received_bytes} bytes received`;
  const cut = event.truncated ? `, cut at ${KEPT_PAYLOAD_BYTES / 1024} KiB` : '';
  const lines = payloadLines(event.payload, event.read).map((line) => {
    // The server's text, escaped as every value the CLI shows.
    const text = `${'  '.repeat(line.depth)}${printable(line.text)}`;
    if (!line.highlighted) return text;
    const read =
      line.read.length === 0
        ? ''
        : `  ${style.paint(`← ${line.read.map((as) => printable(String(as))).join(', ')}`, 'cyan')}`;
    return `${style.paint(text, 'bold')}${read}`;
  });
  return [
    `${style.paint('event as received', 'bold')}${size === '' && cut === '' ? '' : ` (${size}${cut})`}`,
    ...lines,
  ].join('\n');
};
