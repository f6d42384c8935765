/**
 * The console's views, by the URL's hash: `#/calls?status=unknown`, `#/calls/<id>`,
 * `#/figures`. A view's address names what it shows and never holds the key.
 */
export type View =
  | { name: 'calls'; query: URLSearchParams }
  | { name: 'call'; callId: string }
  | { name: 'figures'; query: URLSearchParams }
  | { name: 'missing'; path: string };

export const viewOf = (hash: string): View => {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?', 2);
  const query = new URLSearchParams(search);
  if (path === '' || path === '/' || path === '/calls') return { name: 'calls', query };
  if (path === '/figures') return { name: 'figures', query };
  const call = /^\/calls\/([^/]+)$/.exec(path);
  const callId = call === null ? undefined : decoded(call[1] ?? '');
  if (callId !== undefined) return { name: 'call', callId };
  return { name: 'missing', path };
};

/** A path segment decoded; undefined for one that is no UTF-8 (`%E0%A4%A`), from a bad link. */
const decoded = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

/** The hash of the calls view with these filters (only those that are set). */
export const callsHash = (query: URLSearchParams): string => {
  const search = query.toString();
  return search === '' ? '#/calls' : `#/calls?${search}`;
};

export const callHash = (callId: string): string => `#/calls/${encodeURIComponent(callId)}`;
