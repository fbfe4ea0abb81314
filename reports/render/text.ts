/**
 * Text helpers shared by the renderers: escaping for XML/HTML and Markdown (model names and
 * categories are user input), number formatting, and label truncation for charts.
 */

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for XML/HTML element content and (double- or single-quoted) attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch] ?? ch);
}

/**
 * Escapes text for a Markdown table cell: Markdown punctuation is backslash-escaped, `<` and `>`
 * become entities (Markdown renderers pass raw HTML through), newlines become spaces.
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/[\r\n]+/g, " ")
    .replace(/[\\`*_[\]#|!~]/g, (ch) => `\\${ch}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** Fixed decimals, or an em dash for null / non-finite values. */
export function fmt(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  const s = x.toFixed(digits);
  // "-0" reads as a glitch in a report.
  return /^-0(\.0+)?$/.test(s) ? s.slice(1) : s;
}

/** A share in [0, 1] as a percentage with one decimal ("62.5%"), em dash for null. */
export function pct(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "—" : `${fmt(x * 100, 1)}%`;
}

/** US dollars: four decimals below one cent so simulator-sized costs do not read as zero. */
export function usd(x: number): string {
  return `$${x !== 0 && Math.abs(x) < 0.01 ? x.toFixed(4) : x.toFixed(2)}`;
}

/** Integer with thousands separators (locale-independent, so output is reproducible). */
export function int(x: number): string {
  return Math.round(x).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Shortens a label to `max` characters with an ellipsis; the full text goes in a <title>. */
export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(1, max - 1))}…`;
}

/** Rounds a coordinate to 0.01 px: enough precision, compact SVG. */
export const px = (x: number): number => Math.round(x * 100) / 100;
