/**
 * Human labels as NDJSON lines, for import and export. One verdict a line, in terms of the battle's
 * real models: `{ battleId, reviewer, verdict: "A"|"B"|"tie"|"both-bad", note?, reviewerKind? }`;
 * an exported line carries `roundId`, `modelA`, `modelB`, `createdAt`, `updatedAt` too, and importing
 * it back checks the round and the models instead of ignoring them (a label never lands on another
 * pair). Parsing never throws: a bad line is a value whose reason names the field, and an accepted
 * value is one the database stores unchanged.
 */
import { z } from "zod";
import { INDEXED_TEXT_MAX_BYTES, unsafeText } from "../lib/safe-value.js";
import { HUMAN_VERDICTS, type HumanVerdict } from "../judges/index.js";

/** Longest note kept with a verdict, in characters. */
export const NOTE_MAX_CHARS = 4000;

const storable = (maxBytes?: number) => (s: string, ctx: z.RefinementCtx) => {
  const problem = unsafeText(s, maxBytes);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
};

const LabelLine = z.strictObject({
  battleId: z.union([z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), z.string().regex(/^[1-9][0-9]{0,15}$/, "a positive integer").transform(Number)]),
  reviewer: z.string().min(1).max(128).superRefine(storable(INDEXED_TEXT_MAX_BYTES)),
  reviewerKind: z.enum(["key", "import"]).default("import"),
  verdict: z.enum(HUMAN_VERDICTS),
  note: z.string().max(NOTE_MAX_CHARS).superRefine(storable()).nullable().optional(),
  roundId: z.string().optional(),
  modelA: z.string().optional(),
  modelB: z.string().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
});

export interface LabelImport {
  battleId: number;
  reviewer: string;
  reviewerKind: "key" | "import";
  verdict: HumanVerdict;
  note: string | null;
  roundId?: string;
  modelA?: string;
  modelB?: string;
}

export type LabelParse = { ok: true; label: LabelImport } | { ok: false; reason: string };

/** Parses one line (a leading BOM and trailing CR already stripped). Never throws. */
export function parseLabelLine(text: string): LabelParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: "invalid JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, reason: "line: must be a JSON object" };
  const parsed = LabelLine.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join(".") || "line";
    return { ok: false, reason: `${field}: ${issue?.message ?? "invalid"}` };
  }
  const { note, createdAt: _c, updatedAt: _u, ...rest } = parsed.data;
  return { ok: true, label: { ...rest, note: note ?? null } };
}

/** One exported label line. */
export interface LabelExport {
  roundId: string;
  battleId: number;
  reviewerKind: "key" | "import";
  reviewer: string;
  verdict: HumanVerdict;
  note: string | null;
  modelA: string;
  modelB: string;
  createdAt: string;
  updatedAt: string;
}
