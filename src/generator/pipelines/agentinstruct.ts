/**
 * AgentInstruct flows: seed documents -> content transformation agents (argument passage, debate,
 * conversation, meeting transcript, poem, satire, instructional text) -> instruction generation for
 * each type of a taxonomy (reading comprehension by default) -> suggester/editor refinement rounds,
 * each of which raises the item's complexity by one. Stages: transform, questions, refine:1..R.
 */
import { z } from "zod";
import type { Db } from "../../../db/client.js";
import { badRequest } from "../../errors.js";
import { getItem, insertItems, itemsOfRun, reviseItem, type Message, type NewItem } from "../stores/items.js";
import { inputOf, paramsOf, type Pipeline, type PipelineContext } from "./pipeline.js";
import { numbered, requireNumber } from "./stage.js";
import { messagesOf, tagOf } from "../prompts/template.js";
import { EDIT_PROMPT, QUESTIONS_PROMPT, SUGGEST_PROMPT, TRANSFORM_PROMPT } from "../prompts/agentinstruct.js";
import { type RunRow, type TaskRow, tasksOfStage } from "../engine/task-queue.js";
import { AgentInstructSchema } from "../requests.js";
import { EditOut, questionsOut, SuggestOut, TransformOut } from "../prompts/output-schemas.js";
import { seedsFor } from "../stores/seeds.js";
import { READING_COMPREHENSION_TYPES, TRANSFORMATIONS } from "../taxonomy.js";
import { fnv1a32Parts } from "../../../lib/hash.js";
import { mulberry32, shuffled } from "../../../lib/random.js";

const TransformInput = z.object({ seedId: z.number(), genre: z.string(), seed: z.string() });
const QuestionsInput = z.object({ seedId: z.number(), genre: z.string(), title: z.string(), passage: z.string(), type: z.string() });
const RefineInput = z.object({ itemId: z.number(), round: z.number() });
/** What a transform task wrote that the questions stage reads. */
const TransformOutput = z.looseObject({ title: z.string(), text: z.string() });

/** The reading-comprehension item's conversation: the passage and the question in one user turn. */
export function comprehensionMessages(passage: string, question: string): Message[] {
  return [{ role: "user", content: `Read the passage and answer the question.\n\nPassage:\n${passage}\n\nQuestion: ${question}` }];
}

async function transform(ctx: PipelineContext, run: RunRow, task: TaskRow) {
  const p = paramsOf(run, AgentInstructSchema);
  const v = inputOf(task, TransformInput);
  const vars = { genre: v.genre, description: TRANSFORMATIONS[v.genre] ?? v.genre, seed: v.seed };
  const out = await ctx.llm.json({ model: p.model, messages: messagesOf(TRANSFORM_PROMPT, vars), schema: TransformOut, schemaName: "transformed_text", seed: fnv1a32Parts(p.seed, task.key), temperature: p.temperature });
  return { output: { prompt: tagOf(TRANSFORM_PROMPT), ...out } };
}

async function questions(ctx: PipelineContext, run: RunRow, task: TaskRow) {
  const p = paramsOf(run, AgentInstructSchema);
  const v = inputOf(task, QuestionsInput);
  const taxonomy = p.taxonomy ?? READING_COMPREHENSION_TYPES;
  const vars = { passage: v.passage, type: v.type, description: taxonomy[v.type] ?? v.type, count: p.perCall, complexity: p.complexity };
  const out = await ctx.llm.json({ model: p.model, messages: messagesOf(QUESTIONS_PROMPT, vars), schema: questionsOut(p.perCall), schemaName: "questions", seed: fnv1a32Parts(p.seed, task.key), temperature: p.temperature });
  const items: NewItem[] = out.items.map((q) => ({
    kind: "agentinstruct",
    category: p.category,
    complexity: p.complexity,
    messages: comprehensionMessages(v.passage, q.question),
    metadata: { flow: "agentinstruct", seedId: v.seedId, transformation: v.genre, passageTitle: v.title, passage: v.passage, questionType: v.type, question: q.question, answer: q.answer, refinements: [], prompt: tagOf(QUESTIONS_PROMPT) },
  }));
  return { output: { prompt: tagOf(QUESTIONS_PROMPT), ...out }, write: (tx: Db) => insertItems(tx, run.id, task.key, items) };
}

/** What refinement reads back from an item's metadata (written by `questions` and earlier refinements). */
const RefineMeta = z.looseObject({
  question: z.string().optional().catch(undefined),
  passage: z.string().optional().catch(undefined),
  refinements: z.array(z.unknown()).optional().catch(undefined),
});

async function refine(ctx: PipelineContext, run: RunRow, task: TaskRow) {
  const p = paramsOf(run, AgentInstructSchema);
  const { itemId, round } = inputOf(task, RefineInput);
  const item = await getItem(ctx.db, itemId);
  if (!item) return { output: { skipped: "item no longer exists" } };
  const meta = RefineMeta.parse(item.metadata);
  const question = meta.question ?? item.text;
  const context = meta.passage;
  const seed = fnv1a32Parts(p.seed, task.key);
  const s = await ctx.llm.json({ model: p.model, messages: messagesOf(SUGGEST_PROMPT, { instruction: question, context }), schema: SuggestOut, schemaName: "suggestions", seed, temperature: p.temperature });
  const e = await ctx.llm.json({ model: p.model, messages: messagesOf(EDIT_PROMPT, { instruction: question, suggestions: s.suggestions, context }), schema: EditOut, schemaName: "edited_instruction", seed, temperature: p.temperature });
  const messages = context ? comprehensionMessages(context, e.instruction) : [{ role: "user" as const, content: e.instruction }];
  const refinements = [...(meta.refinements ?? []), { round, before: question, suggestions: s.suggestions, prompts: [tagOf(SUGGEST_PROMPT), tagOf(EDIT_PROMPT)] }];
  const complexity = Math.min(5, (item.complexity ?? p.complexity) + 1);
  return {
    output: { suggestions: s.suggestions, instruction: e.instruction },
    write: (tx: Db) => reviseItem(tx, itemId, messages, complexity, { question: e.instruction, refinements }),
  };
}

export const agentInstructPipeline: Pipeline = {
  async start(ctx, run) {
    const p = paramsOf(run, AgentInstructSchema);
    const seeds = await seedsFor(ctx.db, { set: p.seedSet, ids: p.seedIds, limit: p.limit });
    if (seeds.length === 0) throw badRequest(p.seedIds ? "seedIds: no such seed documents" : `seedSet: no seed documents in set '${p.seedSet}'`);
    const genres = p.transformations ?? Object.keys(TRANSFORMATIONS);
    const tasks = seeds.flatMap((s) =>
      shuffled(mulberry32(fnv1a32Parts(p.seed, "genres", s.id)), genres)
        .slice(0, p.transformationsPerSeed)
        .map((genre) => ({ kind: "transform", key: `transform:${s.id}:${genre}`, input: { seedId: s.id, genre, seed: s.text } })),
    );
    return { stage: "transform", tasks };
  },
  async handle(ctx, run, task) {
    if (task.kind === "transform") return transform(ctx, run, task);
    if (task.kind === "questions") return questions(ctx, run, task);
    return refine(ctx, run, task);
  },
  async next(_ctx, run, tx) {
    const p = paramsOf(run, AgentInstructSchema);
    if (run.stage === "transform") {
      const types = Object.keys(p.taxonomy ?? READING_COMPREHENSION_TYPES);
      const done = (await tasksOfStage(tx, run.id, "transform")).filter((t) => t.status === "done");
      const tasks = done.flatMap((t) => {
        const v = inputOf(t, TransformInput);
        const out = TransformOutput.parse(t.output);
        return shuffled(mulberry32(fnv1a32Parts(p.seed, "types", t.key)), types)
          .slice(0, p.typesPerText)
          .map((type) => ({ kind: "questions", key: `questions:${v.seedId}:${v.genre}:${type}`, input: { seedId: v.seedId, genre: v.genre, title: out.title, passage: out.text, type } }));
      });
      return { stage: "questions", tasks };
    }
    const round = run.stage === "questions" ? 1 : requireNumber(run.stage, "refine") + 1;
    if (round > p.refineRounds) return null;
    const items = await itemsOfRun(tx, run.id, ["generated"]);
    return { stage: numbered("refine", round), tasks: items.map((it) => ({ kind: "refine", key: `refine:${round}:${it.id}`, input: { itemId: it.id, round } })) };
  },
};
