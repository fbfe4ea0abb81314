/**
 * Judge templates users write (POST /v1/judge-templates): one row per version. A version's text is
 * what every judgment recorded under `<name>@<version>` was prompted with, so a version that a round
 * or a judgment uses is never changed again (a change makes the next version).
 */
import { integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** How the judge's reply is read (judges/prompts/user-template.ts validates it). */
export type JudgeTemplateOutput =
  | { kind: "labels" }
  | { kind: "rating" }
  | { kind: "json"; schema: Record<string, unknown>; verdictField: string };

export const judgeTemplates = pgTable(
  "judge_templates",
  {
    name: text("name").notNull(),
    version: integer("version").notNull(),
    /** "pairwise" (two answers, judged twice with positions swapped) or "single" (one answer graded). */
    mode: text("mode").$type<"pairwise" | "single">().notNull(),
    systemPrompt: text("system_prompt").notNull(),
    userTemplate: text("user_template").notNull(),
    output: jsonb("output").$type<JudgeTemplateOutput>().notNull(),
    description: text("description"),
    /** The API key that wrote this version (null in local mode). */
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.name, t.version] })],
);
