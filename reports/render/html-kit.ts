/**
 * Small HTML building blocks for the report: tables whose plain-string cells are always escaped
 * (only explicit `{ html }` cells pass through), stat tiles, and the report's inline stylesheet.
 */
import { escapeXml } from "./text.js";

/** A table cell: plain text (escaped) or trusted markup built by the renderers themselves. */
export type Cell = string | { html: string };

const cellHtml = (c: Cell): string => (typeof c === "string" ? escapeXml(c) : c.html);

/** A table; columns listed in `numeric` are right-aligned with tabular figures. */
export function table(headers: readonly string[], rows: readonly (readonly Cell[])[], numeric: readonly number[] = []): string {
  const cls = (k: number) => (numeric.includes(k) ? ' class="num"' : "");
  const head = headers.map((h, k) => `<th${cls(k)}>${escapeXml(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c, k) => `<td${cls(k)}>${cellHtml(c)}</td>`).join("")}</tr>`).join("");
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** A labelled number tile for the summary strip. */
export function stat(label: string, value: string, hint?: string): string {
  const title = hint ? ` title="${escapeXml(hint)}"` : "";
  return `<div class="stat"${title}><div class="stat-value">${escapeXml(value)}</div><div class="stat-label">${escapeXml(label)}</div></div>`;
}

export function section(id: string, title: string, body: string, note?: string): string {
  const n = note ? `<p class="note">${escapeXml(note)}</p>` : "";
  return `<section id="${escapeXml(id)}"><h2>${escapeXml(title)}</h2>${n}${body}</section>`;
}

export function badge(status: string): string {
  return `<span class="badge badge-${escapeXml(status.replace(/[^a-z]/g, ""))}">${escapeXml(status)}</span>`;
}

export const REPORT_CSS = `
:root { color-scheme: light; --fg: #111827; --muted: #6b7280; --line: #e5e7eb; --bg: #f9fafb; --accent: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 20px 48px; }
header h1 { font-size: 22px; margin: 0 0 4px; word-break: break-word; }
.meta { color: var(--muted); margin: 0 0 4px; }
.meta code { color: var(--fg); }
.links a { margin-right: 12px; color: var(--accent); }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin-top: 20px; }
h2 { font-size: 16px; margin: 0 0 12px; }
h3 { font-size: 14px; margin: 16px 0 8px; }
.note { color: var(--muted); margin: -6px 0 12px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td { word-break: break-word; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(110px, 1fr)); gap: 10px; }
.stat { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: #fff; }
.stat-value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.stat-label { color: var(--muted); font-size: 12px; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.chart { overflow-x: auto; max-width: 100%; }
.chart svg { display: block; max-width: 100%; height: auto; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; background: #e5e7eb; }
.badge-done { background: #dcfce7; color: #166534; }
.badge-running, .badge-pending { background: #dbeafe; color: #1e40af; }
.badge-failed { background: #fee2e2; color: #991b1b; }
.badge-cancelled { background: #fef3c7; color: #92400e; }
.missing { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 12px; margin-top: 24px; }
`;
