import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../infra/cli/api-client.ts';
import {
  type CallDetail,
  type CallView,
  type DialView,
  formatCall,
  formatCallPage,
} from '../../infra/cli/call-format.ts';
import { hanging, printable, renderTable, styleFor } from '../../infra/cli/format.ts';
import { wantsColour } from '../../infra/cli/io.ts';

const plain = styleFor(false);
const coloured = styleFor(true);

const view = (overrides: Partial<CallView>): CallView => ({
  call_id: 'c_00000000000000000000000000000001',
  route: 'callback',
  status: 'placed',
  method: 'start.simple_call',
  contact: '*******0001',
  call_session_id: 100000001,
  attempts: 1,
  attempt: 1,
  event_key: null,
  result: null,
  talk_s: null,
  dials: [],
  due_at: null,
  outcome: null,
  created_at: '2025-03-01T09:00:00.123Z',
  updated_at: '2025-03-01T09:00:01.456Z',
  error: null,
  cancelled_by_sender: null,
  customer_called_in: null,
  history: [],
  duplicate_of: null,
  escalation: null,
  escalated_from: null,
  ...overrides,
});

describe('the CLI’s tables', () => {
  it('pads each column to its widest cell, two spaces apart, with no trailing spaces', () => {
    const text = renderTable(
      ['A', 'LONG HEADER', 'C'],
      [
        ['wide cell', 'x', 'last'],
        ['y', '', ''],
      ],
      plain,
    );

    expect(text).toBe(
      ['A          LONG HEADER  C', 'wide cell  x            last', 'y'].join('\n'),
    );
  });

  it('paints after padding, so colour never shifts the columns', () => {
    const text = renderTable(['S', 'N'], [[{ text: 'ok', tone: 'green' }, '1']], coloured);

    expect(text).toBe('\x1b[1mS\x1b[0m   \x1b[1mN\x1b[0m\n\x1b[32mok\x1b[0m  1');
  });

  it('escapes control characters from the API instead of handing them to the terminal', () => {
    expect(printable('a\x1b[31mred\nline\u009b')).toBe('a\\u001b[31mred\\u000aline\\u009b');
    expect(renderTable(['X'], [['\x07bell']], plain)).toBe('X\n\\u0007bell');
  });

  it('wraps help text between words, the following lines under the text', () => {
    expect(hanging('  --x  ', 'one two three four', 19)).toBe('  --x  one two\n       three four');
  });
});

describe('the CLI’s views of calls', () => {
  it('calls ls: one line per call, its reason or due time, and the next page', () => {
    const text = formatCallPage(
      {
        items: [
          view({
            call_id: 'c_00000000000000000000000000000002',
            route: 'order-confirmation',
            status: 'unknown',
            attempts: 2,
            error: { reason: 'lost_reply', message: 'no answer' },
          }),
          view({ status: 'scheduled', attempts: 0, due_at: '2025-03-02T06:00:00.000Z' }),
        ],
        next_cursor: 'abc.def',
      },
      plain,
    );

    expect(text).toBe(
      [
        'CALL ID                             STATUS     ROUTE               CONTACT      TRIES  CREATED               NOTE',
        'c_00000000000000000000000000000002  unknown    order-confirmation  *******0001  2      2025-03-01 09:00:00Z  lost_reply',
        'c_00000000000000000000000000000001  scheduled  callback            *******0001  0      2025-03-01 09:00:00Z  due 2025-03-02 06:00:00Z',
        '',
        'next page: --cursor abc.def',
      ].join('\n'),
    );
  });

  it('calls ls: an empty page says so', () => {
    expect(formatCallPage({ items: [], next_cursor: null }, plain)).toBe('no calls');
  });

  it('calls get: the fields, then every kind of timeline entry', () => {
    const detail = {
      ...view({
        status: 'completed',
        outcome: { answered: true, duration_s: 42, ended_at: '2025-03-01T09:01:00.000Z' },
        error: { reason: 'busy', message: 'The line was busy' },
      }),
      timeline: [
        {
          type: 'status',
          at: '2025-03-01T09:00:00.123Z',
          status: 'queued',
          reason: 'accepted (key from header)',
        },
        {
          type: 'provider_event',
          at: null,
          event: 'ended',
          finish_reason: 'subscriber_hangup',
          talk_time_duration: 42,
        },
        {
          type: 'callback',
          at: '2025-03-01T09:01:05.000Z',
          webhook_id: 'msg_1',
          status: 'completed',
          outcome: 'retrying',
          attempts: 2,
          status_code: 500,
          last_error: 'HTTP 500',
          next_attempt_at: '2025-03-01T09:02:05.000Z',
        },
      ],
    } as unknown as CallDetail;

    expect(formatCall(detail, plain)).toBe(
      [
        'call_id          c_00000000000000000000000000000001',
        'status           completed',
        'route            callback',
        'method           start.simple_call',
        'contact          *******0001',
        'attempt          1',
        'attempts         1',
        'call_session_id  100000001',
        'due_at           -',
        'created_at       2025-03-01 09:00:00Z',
        'updated_at       2025-03-01 09:00:01Z',
        'error            busy: The line was busy',
        'outcome          answered, 42 s, ended 2025-03-01 09:01:00Z',
        '',
        'timeline',
        'AT                    TYPE      STATE     DETAIL',
        '2025-03-01 09:00:00Z  status    queued    accepted (key from header)',
        '-                     provider  ended     subscriber_hangup, talked 42 s',
        '2025-03-01 09:01:05Z  callback  retrying  reports completed, HTTP 500, 2 attempts, last error HTTP 500, next try 2025-03-01 09:02:05Z',
      ].join('\n'),
    );
  });

  it('calls get: the attempt the call is on, and a table of its attempts, each by its own id', () => {
    const dial = (overrides: Partial<DialView>): DialView => ({
      attempt: 1,
      external_id: 'c_00000000000000000000000000000001',
      cause: 'event',
      call_session_id: null,
      went_unknown: false,
      answered_at: null,
      ended_at: null,
      result: null,
      finish_reason: null,
      talk_s: null,
      error: null,
      ...overrides,
    });
    const retried = view({
      status: 'completed',
      attempt: 3,
      call_session_id: 100000007,
      dials: [
        dial({
          went_unknown: true,
          error: { reason: 'lost_reply', message: 'no answer' },
        }),
        dial({
          attempt: 2,
          external_id: 'c_00000000000000000000000000000001-2',
          cause: 'retry',
          call_session_id: 100000005,
          ended_at: '2025-03-01T09:11:00.000Z',
          result: 'no_answer',
          finish_reason: 'subscriber_not_responsible',
          talk_s: 0,
        }),
        dial({
          attempt: 3,
          external_id: 'c_00000000000000000000000000000001-3',
          cause: 'redial',
          call_session_id: 100000007,
          answered_at: '2025-03-01T09:20:10.000Z',
          ended_at: '2025-03-01T09:21:00.000Z',
          result: 'talked',
          talk_s: 50,
        }),
      ],
    });

    const lines = formatCall(retried, plain).split('\n');

    expect(lines).toContain('attempt          3');
    const table = lines.slice(lines.indexOf('attempts') + 1, lines.indexOf('attempts') + 5);
    expect(table).toEqual([
      'ATTEMPT      CAUSE   EXTERNAL ID                           SESSION    ANSWERED              ENDED                 RESULT                                  NOTE',
      '1            event   c_00000000000000000000000000000001    -          -                     -                     -                                       went unknown; lost_reply: no answer',
      '2            retry   c_00000000000000000000000000000001-2  100000005  -                     2025-03-01 09:11:00Z  no_answer (subscriber_not_responsible)',
      '3 (current)  redial  c_00000000000000000000000000000001-3  100000007  2025-03-01 09:20:10Z  2025-03-01 09:21:00Z  talked',
    ]);
    // Bold on a terminal: the attempt the call is on.
    expect(formatCall(retried, coloured)).toContain('\x1b[1m3 (current)\x1b[0m  ');
  });

  it('calls get: a skipped duplicate contact names the call it merged into, after its error', () => {
    const skipped = view({
      status: 'skipped',
      method: null,
      call_session_id: null,
      error: { reason: 'duplicate_contact', message: 'merged' },
      duplicate_of: 'c_00000000000000000000000000000002',
    });

    const lines = formatCall(skipped, plain).split('\n');

    expect(lines.slice(11, 14)).toEqual([
      'error            duplicate_contact: merged',
      'outcome          -',
      'duplicate_of     c_00000000000000000000000000000002',
    ]);
    expect(formatCall(view({}), plain)).not.toContain('duplicate_of');
  });

  it('calls get: an answer from an API before attempts shows neither `attempt` nor the table', () => {
    const { attempt: _, dials: __, ...older } = view({});

    const text = formatCall(older as CallView, plain);

    expect(text).toContain('attempt          -');
    expect(text).not.toContain('ATTEMPT');
  });

  it('an action’s answer (no timeline) shows the history instead, its status coloured on a terminal', () => {
    const answered = view({
      status: 'queued',
      method: null,
      call_session_id: null,
      history: [{ status: 'queued', at: '2025-03-01T09:05:00.000Z', reason: 'retry requested' }],
    });

    const text = formatCall(answered, coloured);

    expect(text.split('\n').slice(0, 4)).toEqual([
      'call_id          c_00000000000000000000000000000001',
      'status           \x1b[36mqueued\x1b[0m',
      'route            callback',
      'method           -',
    ]);
    expect(text.split('\n').slice(-3)).toEqual([
      '\x1b[1mhistory\x1b[0m',
      '\x1b[1mAT\x1b[0m                    \x1b[1mTYPE\x1b[0m    \x1b[1mSTATE\x1b[0m   \x1b[1mDETAIL\x1b[0m',
      '2025-03-01 09:05:00Z  status  \x1b[36mqueued\x1b[0m  retry requested',
    ]);
  });
});

describe('colour and problems', () => {
  it('colours only a terminal, and never with NO_COLOR set or TERM=dumb', () => {
    expect(wantsColour(true, {})).toBe(true);
    expect(wantsColour(true, { NO_COLOR: '' })).toBe(true);
    expect(wantsColour(true, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColour(true, { TERM: 'dumb' })).toBe(false);
    expect(wantsColour(false, {})).toBe(false);
    expect(wantsColour(undefined, {})).toBe(false);
  });

  it('a problem is `code: detail`; any other answer its status and first line', () => {
    const problem = JSON.stringify({ status: 409, code: 'not_retryable', detail: 'It is placed.' });

    expect(describeFailure(409, problem)).toBe('not_retryable: It is placed.');
    expect(describeFailure(404, JSON.stringify({ code: 'not_found', title: 'Not found' }))).toBe(
      'not_found: Not found',
    );
    expect(describeFailure(502, '<html>Bad gateway</html>\nmore')).toBe(
      'HTTP 502: <html>Bad gateway</html>',
    );
    expect(describeFailure(500, '')).toBe('HTTP 500');
  });
});
