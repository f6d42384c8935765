/** Text layout for the terminal: aligned tables, label–value lists, optional colour. */

const ANSI = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', cyan: '36' } as const;
export type Tone = keyof typeof ANSI;

/** A cell with a tone, painted only where colour is on. */
export interface Cell {
  text: string;
  tone?: Tone | undefined;
}

export interface Style {
  paint(text: string, tone: Tone | undefined): string;
}

export const styleFor = (colour: boolean): Style => ({
  paint: (text, tone) =>
    colour && tone !== undefined && Object.hasOwn(ANSI, tone)
      ? `\x1b[${ANSI[tone]}m${text}\x1b[0m`
      : text,
});

/**
 * Text from the API (a provider's message, a sender's key) shown as it is, except control
 * characters: escaped, so that no answer can move the cursor or recolour the terminal.
 */
export const printable = (text: string): string =>
  Array.from(text, (char) => {
    const code = char.codePointAt(0) ?? 0;
    return code < 0x20 || (code >= 0x7f && code <= 0x9f)
      ? `\\u${code.toString(16).padStart(4, '0')}`
      : char;
  }).join('');

// An answer that is not callhook's may hold a number where a text is due: shown as its text.
const cellOf = (cell: string | Cell): Cell =>
  typeof cell === 'object' && cell !== null
    ? { ...cell, text: printable(String(cell.text)) }
    : { text: printable(String(cell)) };

/** Width in characters (code points), which is what a terminal shows for these texts. */
const widthOf = (text: string): number => Array.from(text).length;

/**
 * Columns padded to their widest cell, two spaces apart, the header in bold; the last column is
 * not padded and no line ends in spaces. Padding is added before painting, so colour codes never
 * count as width.
 */
export const renderTable = (
  headers: readonly string[],
  rows: readonly (readonly (string | Cell)[])[],
  style: Style,
): string => {
  const cells = rows.map((row) => row.map(cellOf));
  const widths = headers.map((header, i) =>
    Math.max(widthOf(header), ...cells.map((row) => widthOf(row[i]?.text ?? ''))),
  );
  const line = (row: readonly Cell[]): string =>
    row
      .map((cell, i) => {
        const last = i === row.length - 1;
        const pad = last ? '' : ' '.repeat((widths[i] ?? 0) - widthOf(cell.text));
        return style.paint(cell.text, cell.tone) + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(headers.map((text) => ({ text, tone: 'bold' }))), ...cells.map(line)].join('\n');
};

/** `label  value` lines, the values aligned. */
export const renderPairs = (pairs: readonly (readonly [string, string | Cell])[], style: Style) => {
  const width = Math.max(...pairs.map(([label]) => widthOf(label)));
  return pairs
    .map(([label, value]) => {
      const cell = cellOf(value);
      return `${label.padEnd(width)}  ${style.paint(cell.text, cell.tone)}`.trimEnd();
    })
    .join('\n');
};

/** An ISO time as `2025-03-01 10:00:00Z`: to the second, in UTC as the API gives it. */
export const shortTime = (iso: string | null | undefined): string => {
  if (iso === null || iso === undefined) return '-';
  if (typeof iso !== 'string') return String(iso);
  const match = iso.match(/^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/);
  return match === null ? iso : `${match[1]} ${match[2]}Z`;
};

/**
 * `prefix` (a term, padded), then `text` broken between words so that no line is longer than
 * `width`; the lines after the first are indented to where the text starts (for help texts).
 */
export const hanging = (prefix: string, text: string, width = 80): string => {
  const indent = widthOf(prefix);
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current !== '' && indent + widthOf(current) + 1 + widthOf(word) > width) {
      lines.push(current);
      current = word;
    } else current = current === '' ? word : `${current} ${word}`;
  }
  lines.push(current);
  return prefix + lines.join(`\n${' '.repeat(indent)}`);
};
