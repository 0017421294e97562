// The characters and character pairs of a case's search text, as tokens SQLite's FTS5 can index
// (migration 191): its trigram tokenizer cannot serve a query of one or two characters, and Chinese
// searches are often that short (噪, 反映). Each gram becomes one ASCII token that FTS5's default
// tokenizer keeps whole: a character is `u` + its code point in hex, a pair `b` + hex + `x` + hex.
// Grams with white space are left out: a query is trimmed, so one of 1–2 characters has none.

function hex(ch: string): string {
  return ch.codePointAt(0)!.toString(16);
}

/** The token of a query of one or two characters (already lower-cased), or null for any other length. */
export function gramToken(query: string): string | null {
  const chars = [...query];
  if (chars.length === 1) return `u${hex(chars[0]!)}`;
  if (chars.length === 2) return `b${hex(chars[0]!)}x${hex(chars[1]!)}`;
  return null;
}

/** Every distinct character and pair of `text` as tokens separated by spaces (the SQLite function case_grams). */
export function caseGrams(text: unknown): string {
  if (typeof text !== 'string') return '';
  const chars = [...text];
  const grams = new Set<string>();
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (/\s/.test(c)) continue;
    grams.add(`u${hex(c)}`);
    const d = chars[i + 1];
    if (d !== undefined && !/\s/.test(d)) grams.add(`b${hex(c)}x${hex(d)}`);
  }
  return [...grams].join(' ');
}
