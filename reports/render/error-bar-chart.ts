/**
 * Ratings with confidence intervals as a standalone SVG: one row per model in the given order
 * (a leaderboard's, best first), a horizontal bar from ciLow to ciHigh with end caps, a dot at
 * the rating, and a labelled x axis on the Elo scale. No scripts, no external fonts.
 */
import { linearScale, niceDomain, type NiceDomain, ticks } from "./scale.js";
import { escapeXml, fmt, px, truncate } from "./text.js";

export interface IntervalItem {
  model: string;
  rating: number;
  ciLow: number;
  ciHigh: number;
}

export interface ErrorBarOptions {
  title?: string;
  width?: number;
  rowHeight?: number;
  /** Space for the model names; default from the longest name (7 px a character, 80-220 px). */
  marginLeft?: number;
  marginRight?: number;
  /** Fixed x domain; default: the items' interval extent widened to nice ticks, about 8 (see scale.ts). */
  domain?: NiceDomain;
  axisLabel?: string;
}

export const ERROR_BAR_DEFAULTS = { width: 720, rowHeight: 28, top: 40, bottom: 48, marginRight: 120, labelMax: 28, targetTicks: 8 } as const;
export const CHART_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

const COLORS = { bar: "#2563eb", point: "#1e3a8a", grid: "#e5e7eb", axis: "#6b7280", text: "#111827", band: "#f9fafb" };

/** The SVG opening tag every chart uses (standalone: carries its own namespace and size). */
export function svgOpen(width: number, height: number, label: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `role="img" aria-label="${escapeXml(label)}" font-family="${CHART_FONT}" font-size="12">` +
    `<title>${escapeXml(label)}</title><rect width="${width}" height="${height}" fill="#ffffff"/>`
  );
}

function emptyChart(title: string, width: number): string {
  return `${svgOpen(width, 80, title)}<text x="${width / 2}" y="45" text-anchor="middle" fill="${COLORS.axis}">No rated battles yet</text></svg>`;
}

/**
 * Bar geometry: x = marginLeft + (v - domain.lo) / (domain.hi - domain.lo) * (width - marginLeft -
 * marginRight); row i is centred at y = 40 + (i + 0.5) * rowHeight.
 */
export function errorBarChart(items: readonly IntervalItem[], opts: ErrorBarOptions = {}): string {
  const D = ERROR_BAR_DEFAULTS;
  const title = opts.title ?? "Ratings with 95% confidence intervals";
  const width = opts.width ?? D.width;
  if (items.length === 0) return emptyChart(title, width);
  const rowH = opts.rowHeight ?? D.rowHeight;
  const longest = Math.max(...items.map((it) => Math.min(it.model.length, D.labelMax)));
  const left = opts.marginLeft ?? Math.min(220, Math.max(80, longest * 7 + 16));
  const right = opts.marginRight ?? D.marginRight;
  const domain = opts.domain ?? niceDomain(Math.min(...items.map((i) => i.ciLow)), Math.max(...items.map((i) => i.ciHigh)), D.targetTicks);
  const x = linearScale(domain.lo, domain.hi, left, width - right);
  const plotBottom = D.top + items.length * rowH;
  const height = plotBottom + D.bottom;
  const parts = [svgOpen(width, height, title)];
  parts.push(`<text x="${left}" y="22" font-size="14" font-weight="600" fill="${COLORS.text}">${escapeXml(title)}</text>`);
  parts.push(axis(domain, x, D.top, plotBottom, opts.axisLabel ?? "Rating (Elo scale)", (left + width - right) / 2));
  items.forEach((it, i) => parts.push(row(it, i, x, { left, right, width, rowH })));
  parts.push("</svg>");
  return parts.join("");
}

function axis(domain: NiceDomain, x: (v: number) => number, top: number, bottom: number, label: string, mid: number): string {
  const out = ['<g class="axis">'];
  for (const t of ticks(domain)) {
    const tx = px(x(t));
    out.push(`<line x1="${tx}" x2="${tx}" y1="${top}" y2="${bottom}" stroke="${COLORS.grid}"/>`);
    out.push(`<text x="${tx}" y="${bottom + 16}" text-anchor="middle" fill="${COLORS.axis}">${fmt(t, domain.step < 1 ? 2 : 0)}</text>`);
  }
  out.push(`<line x1="${px(x(domain.lo))}" x2="${px(x(domain.hi))}" y1="${bottom}" y2="${bottom}" stroke="${COLORS.axis}"/>`);
  out.push(`<text x="${px(mid)}" y="${bottom + 36}" text-anchor="middle" fill="${COLORS.axis}">${escapeXml(label)}</text></g>`);
  return out.join("");
}

function row(it: IntervalItem, i: number, x: (v: number) => number, g: { left: number; right: number; width: number; rowH: number }): string {
  const top = ERROR_BAR_DEFAULTS.top + i * g.rowH;
  const y = px(top + g.rowH / 2);
  const [x0, x1, xr] = [px(x(it.ciLow)), px(x(it.ciHigh)), px(x(it.rating))];
  const name = escapeXml(it.model);
  const summary = `${fmt(it.rating)} (${fmt(it.ciLow)} to ${fmt(it.ciHigh)})`;
  return (
    `<g class="row" data-model="${name}"><title>${name}: ${summary}</title>` +
    (i % 2 === 0 ? `<rect x="0" y="${top}" width="${g.width}" height="${g.rowH}" fill="${COLORS.band}"/>` : "") +
    `<text x="${g.left - 10}" y="${y + 4}" text-anchor="end" fill="${COLORS.text}">${escapeXml(truncate(it.model, ERROR_BAR_DEFAULTS.labelMax))}</text>` +
    `<line class="ci" x1="${x0}" x2="${x1}" y1="${y}" y2="${y}" stroke="${COLORS.bar}" stroke-width="3" stroke-linecap="round"/>` +
    `<line class="cap" x1="${x0}" x2="${x0}" y1="${y - 6}" y2="${y + 6}" stroke="${COLORS.bar}" stroke-width="2"/>` +
    `<line class="cap" x1="${x1}" x2="${x1}" y1="${y - 6}" y2="${y + 6}" stroke="${COLORS.bar}" stroke-width="2"/>` +
    `<circle class="point" cx="${xr}" cy="${y}" r="4.5" fill="${COLORS.point}"/>` +
    `<text x="${g.width - g.right + 10}" y="${y + 4}" fill="${COLORS.text}">${fmt(it.rating)} <tspan fill="${COLORS.axis}">+${fmt(it.ciHigh - it.rating)}/−${fmt(it.rating - it.ciLow)}</tspan></text></g>`
  );
}
