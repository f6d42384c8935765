import { problemText } from './api.ts';
import type { BulkResult, CallView } from './api-types.ts';
import { confirmAction } from './confirm.ts';
import type { Context } from './context.ts';
import { h } from './dom.ts';
import { plural } from './format.ts';

type BulkAction = BulkResult['action'];

/** The most calls one bulk request names (the API's limit). */
const MAX_CALLS = 100;

const VERBS: Record<BulkAction, { label: string; done: string }> = {
  retry: { label: 'Retry', done: 'retried' },
  cancel: { label: 'Cancel', done: 'cancelled' },
  again: { label: 'Call again', done: 'called again' },
};

/**
 * One action over the calls the list shows (its filters' selection, at most 100): first a dry
 * run that counts which calls it applies to and changes nothing, then, confirmed, the action.
 */
export const bulkPanel = (ctx: Context, selection: () => CallView[]): HTMLElement => {
  const action = h(
    'select',
    { attrs: { id: 'bulk-action' } },
    ...(Object.keys(VERBS) as BulkAction[]).map((name) =>
      h('option', { attrs: { value: name } }, VERBS[name].label),
    ),
  );
  const count = h('button', { attrs: { type: 'button' } }, 'Count (dry run)');
  const apply = h('button', { class: 'danger', attrs: { type: 'button', hidden: true } });
  const result = h('p', { class: 'result', attrs: { role: 'status' } });
  const alert = h('p', { class: 'alert', attrs: { role: 'alert' } });
  let planned: { action: BulkAction; ids: string[] } | null = null;

  const post = (name: BulkAction, ids: string[], dryRun: boolean) =>
    ctx.post<BulkResult>('calls/bulk', { action: name, call_ids: ids, dry_run: dryRun });

  const reset = () => {
    planned = null;
    apply.hidden = true;
  };
  action.addEventListener('change', () => {
    reset();
    result.textContent = '';
  });

  count.addEventListener('click', async () => {
    reset();
    alert.textContent = '';
    const name = action.value as BulkAction;
    const ids = selection()
      .slice(0, MAX_CALLS)
      .map((call) => call.call_id);
    if (ids.length === 0) {
      result.textContent = 'No calls shown: nothing to act on.';
      return;
    }
    const answer = await post(name, ids, true);
    if (!answer.ok) {
      alert.textContent = problemText(answer.problem);
      return;
    }
    const { applicable, named } = answer.body;
    const over = selection().length > MAX_CALLS ? ` (the first ${MAX_CALLS} shown)` : '';
    result.textContent = `Dry run: ${VERBS[name].label.toLowerCase()} applies to ${applicable} of ${plural(named, 'call')} shown${over}. Nothing was changed.`;
    if (applicable === 0) return;
    planned = { action: name, ids: answer.body.done.map((entry) => entry.call_id) };
    apply.textContent = `${VERBS[name].label} ${plural(applicable, 'call')}…`;
    apply.hidden = false;
  });

  apply.addEventListener('click', async () => {
    if (planned === null) return;
    const { action: name, ids } = planned;
    const confirmed = await confirmAction({
      title: `${VERBS[name].label}: ${plural(ids.length, 'call')}?`,
      text: `Each of the ${plural(ids.length, 'call')} the dry run counted is ${VERBS[name].done}, if it still can be: each is decided again as it is now.${name === 'again' ? ' Each is one more call to its number, counted by the per-number cap; a call that talked is never called again in bulk.' : ''}`,
      confirm: `${VERBS[name].label} ${plural(ids.length, 'call')}`,
      keep: 'Change nothing',
    });
    if (!confirmed) return;
    apply.disabled = true;
    try {
      const answer = await post(name, ids, false);
      if (!answer.ok) {
        alert.textContent = problemText(answer.problem);
        return;
      }
      const { done, skipped } = answer.body;
      result.textContent = `Done: ${plural(done.length, 'call')} ${VERBS[name].done}${skipped.length === 0 ? '' : `; ${skipped.length} not (${skipped.map((entry) => entry.why).join('; ')})`}.`;
      reset();
      ctx.announce(result.textContent);
    } finally {
      apply.disabled = false;
    }
  });

  return h(
    'section',
    { class: 'bulk', attrs: { 'aria-labelledby': 'bulk-title' } },
    h('h2', { attrs: { id: 'bulk-title' } }, 'Act on the calls shown'),
    h(
      'div',
      { class: 'fields' },
      h('div', { class: 'field' }, h('label', { attrs: { for: 'bulk-action' } }, 'Action'), action),
      h('div', { class: 'buttons' }, count, apply),
    ),
    result,
    alert,
  );
};
