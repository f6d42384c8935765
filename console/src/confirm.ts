import { h } from './dom.ts';

/**
 * Asks before an action that changes a call, in a modal `<dialog>` (focus held inside, Escape
 * refuses). The safe answer has the focus; focus returns where it was.
 */
export const confirmAction = (question: {
  title: string;
  text: string;
  confirm: string;
  keep: string;
}): Promise<boolean> => {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const keep = h('button', { attrs: { type: 'button' } }, question.keep);
  const confirm = h('button', { class: 'primary', attrs: { type: 'button' } }, question.confirm);
  const dialog = h(
    'dialog',
    {
      class: 'confirm',
      attrs: { 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-text' },
    },
    h('h2', { attrs: { id: 'confirm-title' } }, question.title),
    h('p', { attrs: { id: 'confirm-text' } }, question.text),
    h('div', { class: 'buttons' }, keep, confirm),
  );
  keep.addEventListener('click', () => dialog.close('keep'));
  confirm.addEventListener('click', () => dialog.close('confirm'));
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => {
        dialog.remove();
        opener?.focus();
        resolve(dialog.returnValue === 'confirm');
      },
      { once: true },
    );
    dialog.showModal();
    keep.focus();
  });
};
