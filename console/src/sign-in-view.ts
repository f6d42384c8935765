import { describeFailure, problemText, request, SessionEnded } from './api.ts';
import { h } from './dom.ts';

/**
 * Asks for the admin key and checks it with the cheapest read there is (`GET /calls?limit=1`)
 * before keeping it: a wrong key is said at once, not on the next page.
 */
export const signInView = (
  message: string | null,
  signedIn: (key: string) => void,
): HTMLElement => {
  const error = h('p', { class: 'alert', attrs: { id: 'sign-in-error', role: 'alert' } });
  const input = h('input', {
    attrs: {
      id: 'admin-key',
      name: 'admin-key',
      type: 'password',
      required: true,
      autocomplete: 'current-password',
      spellcheck: 'false',
      'aria-describedby': 'admin-key-hint sign-in-error',
    },
  });
  const submit = h('button', { class: 'primary', attrs: { type: 'submit' } }, 'Sign in');
  const form = h(
    'form',
    { class: 'sign-in', attrs: { 'aria-labelledby': 'view-title' } },
    h('label', { attrs: { for: 'admin-key' } }, 'Admin key'),
    input,
    h(
      'p',
      { class: 'hint', attrs: { id: 'admin-key-hint' } },
      'Kept in this browser tab only, until you sign out or close it; sent to this API alone.',
    ),
    submit,
    error,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (key === '') {
      error.textContent = 'Enter the admin key.';
      return;
    }
    submit.disabled = true;
    error.textContent = '';
    try {
      const answer = await request(key, 'GET', 'calls', new URLSearchParams({ limit: '1' }));
      if (answer.ok) signedIn(key);
      else error.textContent = problemText(answer.problem);
    } catch (failure) {
      error.textContent =
        failure instanceof SessionEnded
          ? 'That admin key was refused. Check it and try again.'
          : describeFailure(failure);
      input.select();
    } finally {
      submit.disabled = false;
    }
  });
  return h(
    'section',
    { class: 'narrow', attrs: { 'aria-labelledby': 'view-title' } },
    h('h1', { attrs: { id: 'view-title', tabindex: '-1' } }, 'Sign in'),
    message === null ? null : h('p', { class: 'notice', attrs: { role: 'status' } }, message),
    form,
  );
};
