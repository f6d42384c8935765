import type { ReadAs } from '../../shared/calls/kept-event.ts';
import type { CallEvent } from './api-types.ts';
import { h } from './dom.ts';
import { payloadLines } from './payload-lines.ts';

const READ_AS_WORDS: Record<ReadAs, string> = {
  contact: 'the contact',
  key: 'the key',
  event_time: 'the event’s time',
  condition: 'the condition',
  test_event: 'the test flag',
  call: 'what the call says',
};

/** What a field was read as, in words; a reading of a newer API by its name. */
const readAsText = (as: readonly string[]): string =>
  `read as ${as
    .map((name) => (Object.hasOwn(READ_AS_WORDS, name) ? READ_AS_WORDS[name as ReadAs] : name))
    .join(' and ')}`;

/**
 * The event a call was made for, as received: its payload as indented JSON, masked by the API
 * before it was stored, the fields the route read highlighted (`mark`) and named.
 */
export const eventOf = (event: CallEvent): HTMLElement => {
  if (event.payload === null)
    return h(
      'p',
      {},
      'None kept: a skipped event, a call made by an escalation, or a call from before payloads were kept.',
    );
  const size =
    event.received_bytes === null ? '' : ` of the ${event.received_bytes} bytes received`;
  const note = event.truncated ? `Cut: only the start${size} was kept. ` : '';
  const pre = h('pre', { class: 'payload', attrs: { 'data-payload': '' } });
  for (const line of payloadLines(event.payload, event.read)) {
    // The indent stays outside the mark: the highlight starts where the field does.
    pre.append('  '.repeat(line.depth));
    pre.append(
      line.highlighted
        ? h(
            'mark',
            line.read.length === 0 ? {} : { attrs: { 'data-read': line.read.join(' ') } },
            line.text,
          )
        : line.text,
    );
    if (line.read.length > 0)
      pre.append(h('span', { class: 'read-as' }, `  ← ${readAsText(line.read)}`));
    pre.append('\n');
  }
  return h(
    'div',
    {},
    h(
      'p',
      { class: 'hint' },
      `${note}Masked before it was stored: phone numbers show their last 4 digits, e-mail addresses their first letter and domain, fields named like a secret ***. Highlighted: the fields the route read.`,
    ),
    pre,
  );
};
