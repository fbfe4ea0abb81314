/**
 * A win-rate matrix as a standalone SVG heatmap: cell [i][j] is row model i's share against column
 * model j, coloured on a diverging red-white-blue scale (0 red, 0.5 white, 1 blue; ColorBrewer RdBu
 * end points), the value printed in the cell, battle counts in each cell's tooltip, and a legend.
 */
import { svgOpen } from "./error-bar-chart.js";
import { escapeXml, fmt, px, truncate } from "./text.js";

export interface HeatmapOptions {
  title?: string;
  /** Battles behind each cell, shown in the cell tooltip. */
  counts?: readonly (readonly number[])[];
  cellSize?: number;
}

type Rgb = readonly [number, number, number];
const LOW: Rgb = [0xb2, 0x18, 0x2b];
const MID: Rgb = [0xf7, 0xf7, 0xf7];
const HIGH: Rgb = [0x21, 0x66, 0xac];
/** Cells with no battles, and the diagonal. */
export const HEAT_EMPTY = "#e5e7eb";
const LABEL_MAX = 24;
const TEXT = "#111827";

const hex = (c: Rgb): string => `#${c.map((v) => Math.round(v).toString(16).padStart(2, "0")).join("")}`;
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];

/** Cell colour: linear RGB interpolation LOW->MID on [0, 0.5] and MID->HIGH on [0.5, 1]; values clamp. */
export function heatColor(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return HEAT_EMPTY;
  const t = Math.min(1, Math.max(0, v));
  return hex(t <= 0.5 ? mix(LOW, MID, t / 0.5) : mix(MID, HIGH, (t - 0.5) / 0.5));
}

/** White text on the saturated ends of the scale, dark text elsewhere (keeps contrast readable). */
export function heatTextColor(v: number | null): string {
  return v !== null && Number.isFinite(v) && Math.abs(v - 0.5) > 0.3 ? "#ffffff" : TEXT;
}

/**
 * Geometry: the matrix starts at (left, top) with square cells of `cellSize` (default 48);
 * left = clamp(7 x longest label + 16, 80, 200); column labels are rotated -45 degrees above.
 */
export function heatmap(matrix: readonly (readonly (number | null)[])[], labels: readonly string[], opts: HeatmapOptions = {}): string {
  const title = opts.title ?? "Win rate (row beats column)";
  const n = labels.length;
  const cell = opts.cellSize ?? 48;
  const labelPx = Math.max(1, ...labels.map((l) => Math.min(l.length, LABEL_MAX))) * 7;
  const left = Math.min(200, Math.max(80, labelPx + 16));
  const top = 40 + Math.round(labelPx * 0.72) + 8;
  // Wide enough for the rotated last column label and for the legend with its caption.
  const width = Math.max(left + 360, Math.round(left + n * cell + labelPx * 0.72 + 16));
  const height = top + n * cell + 64;
  if (n === 0) return `${svgOpen(320, 80, title)}<text x="160" y="45" text-anchor="middle" fill="#6b7280">No battles yet</text></svg>`;
  const parts = [svgOpen(width, height, title)];
  parts.push(`<text x="16" y="22" font-size="14" font-weight="600" fill="${TEXT}">${escapeXml(title)}</text>`);
  labels.forEach((name, k) => {
    const cx = px(left + (k + 0.5) * cell);
    const full = escapeXml(name);
    const shown = escapeXml(truncate(name, LABEL_MAX));
    parts.push(`<text class="col-label" x="${cx}" y="${top - 8}" transform="rotate(-45 ${cx} ${top - 8})" fill="${TEXT}"><title>${full}</title>${shown}</text>`);
    parts.push(`<text class="row-label" x="${left - 8}" y="${px(top + (k + 0.5) * cell + 4)}" text-anchor="end" fill="${TEXT}"><title>${full}</title>${shown}</text>`);
  });
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) parts.push(cellSvg(matrix, labels, opts.counts, i, j, { left, top, cell }));
  parts.push(legend(left, top + n * cell + 20));
  parts.push("</svg>");
  return parts.join("");
}

function cellSvg(
  matrix: readonly (readonly (number | null)[])[],
  labels: readonly string[],
  counts: HeatmapOptions["counts"],
  i: number,
  j: number,
  g: { left: number; top: number; cell: number },
): string {
  const v = i === j ? null : (matrix[i]?.[j] ?? null);
  const [x, y] = [g.left + j * g.cell, g.top + i * g.cell];
  const n = counts?.[i]?.[j];
  const tip = i === j ? "" : `<title>${escapeXml(`${labels[i] ?? ""} vs ${labels[j] ?? ""}: ${v === null ? "no battles" : `${fmt(v, 3)}${n === undefined ? "" : ` (${fmt(n)} battles)`}`}`)}</title>`;
  const text = v === null ? "" : `<text x="${px(x + g.cell / 2)}" y="${px(y + g.cell / 2 + 4)}" text-anchor="middle" font-size="11" fill="${heatTextColor(v)}">${fmt(v, 2)}</text>`;
  return (
    `<g class="cell" data-row="${i}" data-col="${j}" data-value="${v === null ? "" : fmt(v, 4)}">${tip}` +
    `<rect x="${x}" y="${y}" width="${g.cell}" height="${g.cell}" fill="${i === j ? "#f3f4f6" : heatColor(v)}" stroke="#ffffff" stroke-width="1"/>${text}</g>`
  );
}

/** Eleven swatches from 0 to 1 with end and middle labels. */
function legend(x0: number, y: number): string {
  const w = 18;
  const out = ['<g class="legend">'];
  for (let k = 0; k <= 10; k++) out.push(`<rect x="${x0 + k * w}" y="${y}" width="${w}" height="10" fill="${heatColor(k / 10)}"/>`);
  for (const [k, label] of [[0, "0"], [5, "0.5"], [10, "1"]] as const) {
    out.push(`<text x="${x0 + k * w + w / 2}" y="${y + 24}" text-anchor="middle" font-size="11" fill="#6b7280">${label}</text>`);
  }
  out.push(`<text x="${x0 + 11 * w + 10}" y="${y + 9}" font-size="11" fill="#6b7280">row's share vs column</text></g>`);
  return out.join("");
}
