import { h } from './dom.ts';

export { toCsv, toJson } from './export-format.ts';

/** Saves `text` as a file the browser downloads: made here, sent nowhere. */
export const download = (name: string, type: string, text: string): void => {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h('a', { attrs: { href: url, download: name, hidden: true } });
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its copy; the page's is let go.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};
