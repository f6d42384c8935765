import { describeFailure, problemText, SessionEnded } from './api.ts';
import type {
  CallAgainPreview,
  CallDetail,
  CallError,
  CallEvent,
  CallView,
  DialView,
  TimelineEntry,
} from './api-types.ts';
import { confirmAction } from './confirm.ts';
import { type Context, every, REFRESH_MS } from './context.ts';
import { h, localTime, statusBadge, timeElement, viewLink } from './dom.ts';
import { eventOf } from './event-view.ts';
import { plural } from './format.ts';
import { callHash } from './router.ts';
import { CALLABLE_AGAIN, CANCELLABLE, DIAL_CAUSES, PASSING, RETRYABLE } from './statuses.ts';

/** How often a call's page looks again while the call is passing through a state. */
const FOLLOW_MS = 1_000;

type Action = 'retry' | 'cancel' | 'again';

const QUESTIONS: Record<Exclude<Action, 'again'>, Parameters<typeof confirmAction>[0]> = {
  retry: {
    title: 'Retry this call?',
    text: 'It is queued again and dialled as a new attempt, with its own external id. If the last attempt did reach the phone, it rings a second time.',
    confirm: 'Retry the call',
    keep: 'Keep it as it is',
  },
  cancel: {
    title: 'Cancel this call?',
    text: 'A call still waiting is never made, and no redial follows; a ringing call is hung up. This cannot be undone.',
    confirm: 'Cancel the call',
    keep: 'Keep the call',
  },
};
const DONE: Record<Action, string> = {
  retry: 'Retry accepted',
  cancel: 'Cancel accepted',
  again: 'Call again accepted',
};

/** The confirmation of "call again": it names the number's calls of the last 24 hours. */
const againQuestion = (preview: CallAgainPreview): Parameters<typeof confirmAction>[0] => {
  const today = preview.calls_today;
  const list =
    today.length === 0
      ? 'No call to it in the last 24 hours.'
      : `In the last 24 hours it had ${plural(today.length, 'call')}: ${today
          .map((entry) => `${localTime(new Date(entry.at))} (attempt ${entry.attempt})`)
          .join(', ')}.`;
  return {
    title: 'Call this customer again?',
    text: `One new attempt to ${preview.contact ?? 'the number'}, with no redial after it. ${list} This one counts too: at most ${preview.daily_limit} a day.`,
    confirm: 'Call again',
    keep: 'Do not call',
  };
};

const TALKED_QUESTION: Parameters<typeof confirmAction>[0] = {
  title: 'This call reached the customer. Call again anyway?',
  text: 'The customer already answered this call. Call again only if they asked for it.',
  confirm: 'Yes, call them again',
  keep: 'Do not call',
};

const errorText = (error: CallError | null): string =>
  error === null
    ? '—'
    : `${error.reason}: ${error.message}${error.code === undefined ? '' : ` (code ${error.code})`}`;

/** The current attempt's error: earlier attempts keep theirs (the attempts table). */
const reasonOf = (call: CallView): string => errorText(call.error);

const outcomeOf = (call: CallView): string => {
  const outcome = call.outcome;
  if (outcome === null) return '—';
  const parts = [
    outcome.answered === undefined ? '' : outcome.answered ? 'answered' : 'not answered',
    outcome.duration_s === undefined ? '' : `${outcome.duration_s} s`,
    outcome.ended_at === undefined ? '' : `ended ${localTime(new Date(outcome.ended_at))}`,
  ].filter((part) => part !== '');
  return parts.length === 0 ? '—' : parts.join(', ');
};

const summaryOf = (call: CallView): HTMLElement => {
  const item = (name: string, label: string, value: Node | string | number) => [
    h('dt', {}, label),
    h('dd', { attrs: { 'data-field': name } }, value),
  ];
  return h(
    'dl',
    { class: 'summary-list' },
    ...item('status', 'Status', statusBadge(call.status)),
    ...item('route', 'Route', call.route),
    ...item('event_key', 'Sender’s key', call.event_key ?? '—'),
    ...item('result', 'How it ended', call.result ?? '—'),
    ...item('talk_s', 'Talked', call.talk_s == null ? '—' : `${call.talk_s} s`),
    ...item('contact', 'Contact', call.contact ?? '—'),
    ...item('method', 'Method', call.method ?? '—'),
    ...item('attempt', 'Attempt', call.attempt ?? '—'),
    ...item('attempts', 'Tries of this attempt', call.attempts),
    ...item('due_at', 'Due at', timeElement(call.due_at)),
    ...item('reason', 'Provider’s reason', reasonOf(call)),
    ...item('outcome', 'Outcome', outcomeOf(call)),
    // A skipped duplicate contact links the call it merged into (an older API has no field).
    ...(call.duplicate_of == null
      ? []
      : item(
          'duplicate_of',
          'Merged into',
          viewLink(callHash(call.duplicate_of), h('code', {}, call.duplicate_of)),
        )),
    // A route that escalates links the call it made (or says why not); that call links back.
    ...(call.escalation == null
      ? []
      : item(
          'escalation',
          `Escalation (${call.escalation.state})`,
          h(
            'span',
            {},
            `to ${call.escalation.to}: `,
            viewLink(callHash(call.escalation.call_id), h('code', {}, call.escalation.call_id)),
            call.escalation.reason === null ? '' : ` (${call.escalation.reason})`,
          ),
        )),
    ...(call.escalated_from == null
      ? []
      : item(
          'escalated_from',
          'Escalated from',
          viewLink(callHash(call.escalated_from), h('code', {}, call.escalated_from)),
        )),
    ...item('call_session_id', 'Call session', call.call_session_id ?? '—'),
    ...item('created_at', 'Created', timeElement(call.created_at)),
    ...item('updated_at', 'Updated', timeElement(call.updated_at)),
  );
};

/** A value of the request as text: a message's words as they are, anything else as JSON. */
const shownValue = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value, null, 1);

/**
 * What the call says and to whom: the request as sent to the provider (the API masks its phone
 * numbers and anything named like a secret). Messages first: they are what the customer heard.
 */
const saidOf = (call: CallDetail): HTMLElement => {
  const request = call.request;
  if (request == null) return h('p', {}, 'Nothing: no call was made for this event.');
  const params = Object.entries(request.params);
  const first = (name: string) => (/message|payload|scenario|variables/.test(name) ? 0 : 1);
  params.sort((a, b) => first(a[0]) - first(b[0]));
  return h(
    'dl',
    { class: 'summary-list said' },
    h('dt', {}, 'Method'),
    h('dd', { attrs: { 'data-said': 'method' } }, h('code', {}, request.method)),
    ...params.flatMap(([name, value]) => {
      const message =
        typeof value === 'object' && value !== null && 'value' in value && 'type' in value
          ? `${String((value as { type: unknown }).type)}: ${String((value as { value: unknown }).value)}`
          : undefined;
      return [
        h('dt', {}, name),
        h('dd', { attrs: { 'data-said': name } }, message ?? h('pre', {}, shownValue(value))),
      ];
    }),
  );
};

/** What an attempt's cause is called on the page; a cause of a newer API as it is named. */
const causeOf = (cause: string): string =>
  Object.hasOwn(DIAL_CAUSES, cause) ? DIAL_CAUSES[cause as keyof typeof DIAL_CAUSES] : cause;

const dialNotes = (dial: DialView): string =>
  [
    dial.went_unknown ? 'went unknown: never redialled by itself' : '',
    dial.error === null ? '' : errorText(dial.error),
  ]
    .filter((part) => part !== '')
    .join('; ');

/**
 * Each attempt, oldest first: why it was made, the external id it was placed with (the one the
 * provider's notifications and reports name it by), its session, when it was answered and
 * ended, and how it ended. The one the call is on now is marked.
 */
const attemptsOf = (call: CallView): HTMLElement => {
  const dials = call.dials ?? [];
  if (dials.length === 0) return h('p', {}, 'Not dialled yet.');
  return h(
    'table',
    { class: 'attempts' },
    h('caption', {}, 'Each attempt, oldest first, placed with its own external id'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...[
          'Attempt',
          'Cause',
          'External id',
          'Session',
          'Answered',
          'Ended',
          'Result',
          'Reason',
          'Notes',
        ].map((name) => h('th', { attrs: { scope: 'col' } }, name)),
      ),
    ),
    h(
      'tbody',
      {},
      ...dials.map((dial) => {
        const current = dial.attempt === call.attempt;
        return h(
          'tr',
          {
            ...(current && { class: 'current' }),
            attrs: { 'data-attempt': String(dial.attempt), 'aria-current': current && 'true' },
          },
          h(
            'th',
            { attrs: { scope: 'row' } },
            current ? `${dial.attempt} (current)` : dial.attempt,
          ),
          h('td', {}, causeOf(dial.cause)),
          h('td', { class: 'id' }, h('code', {}, dial.external_id)),
          h('td', {}, dial.call_session_id ?? '—'),
          h('td', {}, timeElement(dial.answered_at)),
          h('td', {}, timeElement(dial.ended_at)),
          h(
            'td',
            {},
            dial.result === null
              ? '—'
              : `${dial.result}${dial.talk_s === null || dial.talk_s === 0 ? '' : `, talked ${dial.talk_s} s`}`,
          ),
          h('td', { class: 'reason' }, dial.finish_reason ?? '—'),
          h('td', { class: 'reason' }, dialNotes(dial)),
        );
      }),
    ),
  );
};

const describeEntry = (entry: TimelineEntry): [Node | string, string] => {
  switch (entry.type) {
    case 'status':
      return [h('span', {}, 'Status ', statusBadge(entry.status)), entry.reason ?? ''];
    case 'provider_event':
      return [
        `Provider: ${entry.event ?? 'notification'}`,
        [
          entry.finish_reason ?? '',
          entry.talk_time_duration === null ? '' : `talk time ${entry.talk_time_duration} s`,
        ]
          .filter((part) => part !== '')
          .join(', '),
      ];
    case 'report':
      return [
        `Provider’s report: attempt ${entry.attempt}, ${entry.result}`,
        [entry.finish_reason ?? '', `talk time ${entry.talk_s} s`, `waited ${entry.wait_s} s`]
          .filter((part) => part !== '')
          .join(', '),
      ];
    case 'callback':
      return [
        `Status callback${entry.status === null ? '' : ` (${entry.status})`}`,
        [
          `${entry.outcome} after ${plural(entry.attempts, 'attempt')}`,
          entry.status_code === null ? '' : `HTTP ${entry.status_code}`,
          entry.last_error ?? '',
          entry.next_attempt_at === null
            ? ''
            : `next try ${localTime(new Date(entry.next_attempt_at))}`,
        ]
          .filter((part) => part !== '')
          .join(', '),
      ];
    default:
      // An entry of a newer API: shown by its type, rather than taking the whole page down.
      return [String((entry as { type: unknown }).type), ''];
  }
};

const timelineOf = (entries: readonly TimelineEntry[]): HTMLElement => {
  if (entries.length === 0) return h('p', {}, 'Nothing recorded yet.');
  return h(
    'table',
    { class: 'timeline' },
    h('caption', {}, 'The call’s story, oldest first'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Time', 'What', 'Details'].map((name) => h('th', { attrs: { scope: 'col' } }, name)),
      ),
    ),
    h(
      'tbody',
      {},
      ...entries.map((entry) => {
        const [what, details] = describeEntry(entry);
        return h(
          'tr',
          {},
          h('td', {}, timeElement(entry.at)),
          h('td', {}, what),
          h('td', {}, details),
        );
      }),
    ),
  );
};

/**
 * One call: its status, masked contact, the provider's reason, its attempts and its timeline,
 * with Retry and Cancel where they apply (each confirmed first, the API's answer shown). After an
 * action the page follows the call through `queued` and `dialing`; with live refresh on, it keeps
 * looking.
 */
export const callView = async (ctx: Context, view: { callId: string }): Promise<HTMLElement> => {
  const path = `calls/${encodeURIComponent(view.callId)}`;
  const heading = h(
    'h1',
    { attrs: { id: 'view-title', tabindex: '-1' } },
    'Call ',
    h('code', {}, view.callId),
  );
  const alert = h('p', { class: 'alert', attrs: { role: 'alert' } });
  const root = h(
    'section',
    { attrs: { 'aria-labelledby': 'view-title' } },
    h(
      'p',
      { class: 'back' },
      h('a', { attrs: { href: ctx.lastCallsHash } }, '← Back to the calls'),
    ),
    heading,
    alert,
  );
  // The event never changes: read once, beside the call, and never again on a refresh.
  const [first, event] = await Promise.all([
    ctx.get<CallDetail>(path),
    ctx.get<CallEvent>(`${path}/event`),
  ]);
  if (!first.ok) {
    alert.textContent = problemText(first.problem);
    return root;
  }

  const summary = h('div');
  const attempts = h('div');
  const timeline = h('div');
  const result = h('p', { class: 'result', attrs: { role: 'status' } });
  const buttons = h('div', { class: 'buttons' });
  const retry = h('button', { attrs: { type: 'button' } }, 'Retry…');
  const cancel = h('button', { class: 'danger', attrs: { type: 'button' } }, 'Cancel…');
  const again = h('button', { attrs: { type: 'button' } }, 'Call again…');
  const said = h('div');
  const live = h('input', {
    attrs: { type: 'checkbox', id: 'live-refresh', checked: ctx.live.on },
  });
  root.append(
    summary,
    h(
      'section',
      { attrs: { 'aria-labelledby': 'actions-title' } },
      h('h2', { attrs: { id: 'actions-title' } }, 'Actions'),
      buttons,
      result,
    ),
    h(
      'section',
      { attrs: { 'aria-labelledby': 'said-title' } },
      h('h2', { attrs: { id: 'said-title' } }, 'What was said'),
      said,
    ),
    h(
      'section',
      { attrs: { 'aria-labelledby': 'event-title' } },
      h('h2', { attrs: { id: 'event-title' } }, 'The event as received'),
      event.ok ? eventOf(event.body) : h('p', { class: 'alert' }, problemText(event.problem)),
    ),
    h(
      'section',
      { attrs: { 'aria-labelledby': 'attempts-title' } },
      h('h2', { attrs: { id: 'attempts-title' } }, 'Attempts'),
      attempts,
    ),
    h(
      'section',
      { attrs: { 'aria-labelledby': 'timeline-title' } },
      h('h2', { attrs: { id: 'timeline-title' } }, 'Timeline'),
      h(
        'p',
        { class: 'live' },
        live,
        h(
          'label',
          { attrs: { for: 'live-refresh' } },
          `Live refresh (every ${REFRESH_MS / 1000} seconds)`,
        ),
      ),
      timeline,
    ),
  );

  let call: CallDetail = first.body;
  let following = false;
  const paint = () => {
    summary.replaceChildren(summaryOf(call));
    said.replaceChildren(saidOf(call));
    attempts.replaceChildren(h('div', { class: 'table-scroll' }, attemptsOf(call)));
    timeline.replaceChildren(h('div', { class: 'table-scroll' }, timelineOf(call.timeline)));
    const offered = [
      RETRYABLE.includes(call.status) ? retry : null,
      CANCELLABLE.includes(call.status) ? cancel : null,
      CALLABLE_AGAIN.includes(call.status) ? again : null,
    ].filter((button) => button !== null);
    // A button about to vanish may hold the focus: it goes to the result instead.
    if (
      document.activeElement instanceof HTMLButtonElement &&
      !offered.includes(document.activeElement)
    )
      heading.focus();
    buttons.replaceChildren(
      ...(offered.length === 0
        ? [h('p', { class: 'hint' }, `Nothing to do for a ${call.status} call.`)]
        : offered),
    );
  };
  const reload = async () => {
    const answer = await ctx.get<CallDetail>(path);
    if (!answer.ok) {
      alert.textContent = problemText(answer.problem);
      return;
    }
    const before = call.status;
    call = answer.body;
    paint();
    if (call.status !== before) ctx.announce(`The call is now ${call.status}.`);
  };
  paint();

  let loops = 0;
  const watch = () => {
    const loop = ++loops;
    every(
      ctx,
      () => (following ? FOLLOW_MS : REFRESH_MS),
      async () => {
        if (loop !== loops || !(following || ctx.live.on)) return false;
        await reload();
        following &&= PASSING.includes(call.status);
      },
    );
  };
  /** Call again: the number's calls today named first, a call that talked asked twice. */
  const askAgain = async (): Promise<{ confirm_talked?: true } | null> => {
    const preview = await ctx.get<CallAgainPreview>(`${path}/again`);
    if (!preview.ok) {
      alert.textContent = problemText(preview.problem);
      return null;
    }
    if (!(await confirmAction(againQuestion(preview.body)))) return null;
    if (!preview.body.talked) return {};
    return (await confirmAction(TALKED_QUESTION)) ? { confirm_talked: true } : null;
  };
  const act = async (action: Action) => {
    let body: unknown;
    if (action === 'again') {
      body = await askAgain();
      if (body === null) return;
    } else if (!(await confirmAction(QUESTIONS[action]))) return;
    retry.disabled = cancel.disabled = again.disabled = true;
    result.textContent = '';
    alert.textContent = '';
    try {
      const answer = await ctx.post<CallView>(`${path}/${action}`, body);
      if (answer.ok) {
        result.textContent = `${DONE[action]}: the call is now ${answer.body.status}.`;
        call = { ...call, ...answer.body };
        following = PASSING.includes(call.status);
      } else alert.textContent = problemText(answer.problem);
      await reload();
      if (following) watch();
    } finally {
      retry.disabled = cancel.disabled = again.disabled = false;
    }
  };
  const onFailure = (error: unknown) => {
    // A refused key has already ended the session; anything else is said here.
    if (!(error instanceof SessionEnded)) alert.textContent = describeFailure(error);
  };
  retry.addEventListener('click', () => act('retry').catch(onFailure));
  cancel.addEventListener('click', () => act('cancel').catch(onFailure));
  again.addEventListener('click', () => act('again').catch(onFailure));
  live.addEventListener('change', () => {
    ctx.live.on = live.checked;
    if (live.checked) watch();
  });
  if (ctx.live.on) watch();
  return root;
};
