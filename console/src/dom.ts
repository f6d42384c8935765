/**
 * Builds elements from tags, attributes and children. Text goes in as text nodes, never as
 * markup: nothing the API answers is ever parsed as HTML (the page's CSP enforces Trusted Types,
 * so an `innerHTML` with a string would throw anyway).
 */
type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  /** Attributes set as given: never an event handler, never from the API but as plain values. */
  attrs?: Record<string, string | boolean | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

export const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] => {
  const element = document.createElement(tag);
  if (props.class !== undefined) element.className = props.class;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (name.startsWith('on')) throw new Error(`no handler attributes (${name})`);
    if (value === true) element.setAttribute(name, '');
    else if (typeof value === 'string') element.setAttribute(name, value);
  }
  for (const [type, listener] of Object.entries(props.on ?? {})) {
    element.addEventListener(type, listener as EventListener);
  }
  append(element, ...children);
  return element;
};

export const append = (parent: Node, ...children: Child[]): void => {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
};

/** A link to one of the console's views: only ever a `#/…` hash, whatever it is given. */
export const viewLink = (hash: string, ...children: Child[]): HTMLAnchorElement =>
  h('a', { attrs: { href: `#/${hash.replace(/^#?\/?/, '')}` } }, ...children);

/** A time as the reader's locale writes it: the one format of every time the console shows. */
export const localTime = (date: Date): string =>
  date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A time as the reader's locale writes it, with the exact ISO time for machines. */
export const timeElement = (iso: string | null): Node => {
  if (iso === null) return document.createTextNode('—');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return document.createTextNode(iso);
  return h(
    'time',
    // One local format everywhere; the exact UTC time on hover.
    { attrs: { datetime: iso, title: `${date.toISOString().replace('T', ' ').slice(0, 19)} UTC` } },
    localTime(date),
  );
};

/** A status as a labelled badge: its word carries the meaning, the colour only repeats it. */
export const statusBadge = (status: string): HTMLElement =>
  h('span', { class: `status status-${status.replace(/[^a-z_]/g, '')}` }, status);
