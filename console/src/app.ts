import { describeFailure, request, SessionEnded } from './api.ts';
import { callView } from './call-view.ts';
import { callsView } from './calls-view.ts';
import type { Context } from './context.ts';
import { h, viewLink } from './dom.ts';
import { figuresView } from './figures-view.ts';
import { type View, viewOf } from './router.ts';
import { forgetKey, keepKey, storedKey } from './session.ts';
import { signInView } from './sign-in-view.ts';

type ViewOf<N extends View['name']> = Extract<View, { name: N }>;

/** Each view by name: a view the router knows and this table lacks does not compile. */
const VIEWS: { [N in View['name']]: (ctx: Context, view: ViewOf<N>) => Promise<HTMLElement> } = {
  calls: callsView,
  call: callView,
  figures: figuresView,
  missing: async (_ctx, view) =>
    h(
      'section',
      { attrs: { 'aria-labelledby': 'view-title' } },
      h('h1', { attrs: { id: 'view-title', tabindex: '-1' } }, 'Nothing here'),
      h('p', {}, `The console has no page ${view.path}. `, viewLink('calls', 'See the calls.')),
    ),
};

const TITLES: Record<View['name'] | 'sign-in', string> = {
  calls: 'Calls',
  call: 'Call',
  figures: 'Figures',
  missing: 'Not found',
  'sign-in': 'Sign in',
};

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page has no #${id}`);
  return element as T;
};

/** The console: the view the address names, once signed in; the sign-in form before. */
export const startConsole = (): void => {
  const main = byId<HTMLElement>('main');
  const nav = byId<HTMLElement>('nav');
  const signOut = byId<HTMLButtonElement>('sign-out');
  const announcer = byId<HTMLElement>('announcer');
  const shared = { live: { on: false }, lastCallsHash: '#/calls' };
  let controller = new AbortController();
  let generation = 0;
  let signInMessage: string | null = null;

  const show = (root: HTMLElement, title: string) => {
    main.replaceChildren(root);
    document.title = `${title} · callhook console`;
    // The new view's heading takes the focus, so a screen reader starts reading there.
    root.querySelector<HTMLElement>('h1')?.focus();
  };

  const endSession = (message: string) => {
    forgetKey();
    signInMessage = message;
    render();
  };

  const contextFor = (key: string, signal: AbortSignal): Context => {
    const call = async <T>(
      method: 'GET' | 'POST',
      path: string,
      query?: URLSearchParams,
      body?: unknown,
    ) => {
      try {
        return await request<T>(key, method, path, query, signal, body);
      } catch (error) {
        if (error instanceof SessionEnded && !signal.aborted)
          endSession('The API refused the admin key: sign in again.');
        throw error;
      }
    };
    return {
      signal,
      get: (path, query) => call('GET', path, query),
      post: (path, body) => call('POST', path, undefined, body),
      announce: (text) => {
        announcer.textContent = text;
      },
      rerender: () => render(),
      live: shared.live,
      get lastCallsHash() {
        return shared.lastCallsHash;
      },
    };
  };

  const markCurrent = (view: View | null) => {
    for (const link of nav.querySelectorAll('a')) {
      const target = viewOf(link.hash);
      const current =
        view !== null &&
        target.name === view.name &&
        (view.name !== 'calls' ||
          (target.name === 'calls' &&
            (target.query.get('status') === 'skipped') ===
              (view.query.get('status') === 'skipped')));
      if (current) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  };

  function render(): void {
    controller.abort();
    controller = new AbortController();
    const mine = ++generation;
    const key = storedKey();
    nav.hidden = signOut.hidden = key === null;
    if (key === null) {
      markCurrent(null);
      const message = signInMessage;
      signInMessage = null;
      show(
        signInView(message, (given) => {
          keepKey(given);
          render();
        }),
        TITLES['sign-in'],
      );
      return;
    }
    const view = viewOf(location.hash);
    markCurrent(view);
    if (view.name === 'calls')
      shared.lastCallsHash = location.hash === '' ? '#/calls' : location.hash;
    main.setAttribute('aria-busy', 'true');
    const build = VIEWS[view.name] as (ctx: Context, view: View) => Promise<HTMLElement>;
    build(contextFor(key, controller.signal), view)
      .then((root) => {
        if (mine === generation) show(root, TITLES[view.name]);
      })
      .catch((error: unknown) => {
        if (mine !== generation || error instanceof SessionEnded) return;
        show(
          h(
            'section',
            { attrs: { 'aria-labelledby': 'view-title' } },
            h('h1', { attrs: { id: 'view-title', tabindex: '-1' } }, 'Something went wrong'),
            h('p', { class: 'alert', attrs: { role: 'alert' } }, describeFailure(error)),
          ),
          TITLES[view.name],
        );
      })
      .finally(() => {
        if (mine === generation) main.removeAttribute('aria-busy');
      });
  }

  signOut.addEventListener('click', () => endSession('You are signed out.'));
  window.addEventListener('hashchange', () => render());
  render();
};
