/**
 * Pure helpers of `npm run bench`: percentiles, summaries, ratios and number formatting. No I/O.
 */

import { percentile } from '../../cli/percentile.ts';

/** The nearest-rank percentile of `npm run predict` / `model-report`, so the numbers compare. */
export { percentile };

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  mean: number;
  min: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  return {
    n,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    mean: n === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / n,
    min: n === 0 ? Number.NaN : Math.min(...values),
    max: n === 0 ? Number.NaN : Math.max(...values),
  };
}

/** a / b, or null when either is missing / not finite or b is 0. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  return a / b;
}

/** Records per second for `records` done in `ms` milliseconds (null when not measurable). */
export function throughput(records: number, ms: number): number | null {
  return ratio(records, ms / 1000);
}

/** Round for JSON (null stays null, NaN becomes null). */
export function roundOrNull(x: number | null | undefined, digits = 1): number | null {
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}

/** Milliseconds for tables: "—" when missing, 1 decimal below 100 ms, whole ms above. */
export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return ms < 100 ? ms.toFixed(1) : Math.round(ms).toLocaleString('en-US');
}

/** A ratio for tables: "2.31×", "0.045×", "—". */
export function fmtRatio(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return '—';
  return `${r >= 10 ? r.toFixed(1) : r >= 0.1 ? r.toFixed(2) : r.toPrecision(2)}×`;
}

/** A rate for tables: "1.23", "12.3", "—". */
export function fmtRate(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return '—';
  return r >= 10 ? r.toFixed(1) : r.toFixed(2);
}

export function fmtBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  if (bytes < 1e3) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${(bytes / 1e6).toFixed(2)} MB`;
}

/** A plain-text table: columns padded, numbers (anything starting with a digit, − or —) right-aligned. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const numeric = header.map((_, i) => i > 0 && rows.length > 0 && rows.every((r) => /^[-−—\d]/.test(r[i] ?? '')));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => {
        const pad = ' '.repeat(Math.max(0, widths[i]! - displayWidth(c)));
        return numeric[i] ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A Markdown table (pipes in cells escaped). */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const numeric = header.map((_, i) => i > 0 && rows.length > 0 && rows.every((r) => /^[-−—\d]/.test(r[i] ?? '')));
  return [
    `| ${header.map(esc).join(' | ')} |`,
    `|${numeric.map((n) => (n ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${header.map((_, i) => esc(r[i] ?? '')).join(' | ')} |`),
  ].join('\n');
}

/** Terminal columns of a string: CJK and full-width characters take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ? 2 : 1;
  }
  return w;
}
