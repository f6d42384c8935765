/**
 * Edits (insert, delete, replace, or swap two neighbours) between `a` and `b`: the optimal
 * string alignment distance, so a transposition such as "defualt" for "default" is one edit.
 */
const editDistance = (a: string, b: string): number => {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      row[j] = best;
    }
  }
  return at(a.length, b.length);
};

/**
 * The known name `word` was most likely meant to be: the nearest by edits (case aside), if it
 * is within a third of the name's length (at least one edit); `undefined` when none is that near.
 */
export const nearest = (word: string, known: readonly string[]): string | undefined => {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    const allowed = Math.max(1, Math.floor(Math.max(word.length, name.length) / 3));
    if (distance <= allowed && (best === undefined || distance < best.distance)) {
      best = { name, distance };
    }
  }
  return best?.name;
};

/** `a`, `b`, `c` */
export const listed = (names: readonly string[]): string =>
  names.map((name) => `\`${name}\``).join(', ');

/** "did you mean `x`?" for the nearest known name, else the list of every known one. */
export const suggestion = (word: string, known: readonly string[]): string => {
  const near = nearest(word, known);
  return near === undefined ? `expected one of ${listed(known)}` : `did you mean \`${near}\`?`;
};
