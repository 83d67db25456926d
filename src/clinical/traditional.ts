/**
 * Traditional → simplified Chinese before a pasted note is parsed and matched, so 主訴 /
 * 出院診斷 / 二甲雙胍 are recognised like 主诉 / 出院诊断 / 二甲双胍.
 *
 * Uses OpenCC's own dictionaries (opencc-js), not a hand-made table. Only the `t → cn` group
 * (TSPhrases + TSCharacters, ~40 KB) is imported — the full preset would add the Hong Kong,
 * Taiwan and Japanese tables (~1 MB) for nothing. Simplified text is left unchanged by this
 * group (checked on the whole synthetic cohort, 33 M characters), so converting every paste is
 * safe; the converter is built on first use.
 *
 * Browser-safe: no Node imports.
 */
import { ConverterFactory, type ConverterFunction } from 'opencc-js/core';
import toCn from 'opencc-js/to/cn';

let converter: ConverterFunction | null = null;

export interface SimplifiedText {
  text: string;
  /** Characters that were changed (0: the text was already simplified). */
  changed: number;
}

/** Converts traditional characters to simplified ones and counts what changed. */
export function toSimplified(text: string): SimplifiedText {
  // Fast path: nothing outside ASCII, nothing to convert.
  if (!/[^\x00-\x7f]/.test(text)) return { text, changed: 0 };
  converter ??= ConverterFactory(...toCn);
  const out = converter(text);
  if (out === text) return { text, changed: 0 };
  let changed = 0;
  // The TS dictionaries map one character to one character, so positions line up; count by
  // code point to be safe with characters outside the BMP.
  const a = Array.from(text);
  const b = Array.from(out);
  if (a.length !== b.length) return { text: out, changed: Math.max(1, Math.abs(a.length - b.length)) };
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) changed++;
  return { text: out, changed };
}
