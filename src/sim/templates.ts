/**
 * The fixed phrases simulated answers are written with. Their vocabulary is excluded from key points
 * (see instruction.ts), so an answer earns credit only for the question's words it deliberately covers,
 * never because a template happens to contain one.
 */

/** Sentences that mention one covered key point (`{k}`). */
export const COVER_TEMPLATES: readonly string[] = [
  "The part about {k} matters most here, so it comes first.",
  "A careful look at {k} gives the main result.",
  "{K} is handled step by step, with a concrete example.",
  "Taking {k} into account keeps the result precise.",
  "It is worth being explicit about {k} and why it matters.",
  "Next comes {k}, which shapes the rest of the result.",
  "For {k}, the clear choice follows directly from the request.",
];

/** Follow-up sentences for a covered point when a style writes more than one per point. */
export const DETAIL_TEMPLATES: readonly string[] = [
  "In practice this means checking each step against the goal.",
  "A short example makes this concrete and easy to verify.",
  "This also avoids the most common mistake in similar cases.",
];

/** Vague sentences written where a key point is not covered, and as padding. */
export const FILLER_TEMPLATES: readonly string[] = [
  "There are several aspects to keep in mind.",
  "It depends on the situation and on what you need.",
  "This is a broad topic with many possible angles.",
  "In general, it is best to stay flexible and think it through.",
  "Many people find that a simple approach works well.",
  "Different sources may offer different perspectives on this.",
  "It can be helpful to consider the bigger picture.",
  "Every case is unique, so results may vary.",
  "Keeping things organised usually leads to better outcomes.",
  "Some experimentation may be needed to find what works best.",
];

export const OPENERS: readonly string[] = [
  "Here is a response to your request.",
  "Sure, here is an answer.",
  "Good question; here is an overview.",
  "Certainly. Below is a structured answer.",
];

export const CLOSERS: readonly string[] = [
  "I hope this helps.",
  "Let me know if you would like more detail.",
  "Feel free to ask a follow-up question.",
];

/** Markdown scaffolding for the "heavy" style. */
export const HEADINGS: readonly string[] = ["Overview", "Key Points", "Details", "Additional Considerations", "Summary"];

/** Arithmetic sentence: `{e}` is the expression as written, `{r}` the (possibly wrong) result. */
export const ARITHMETIC_TEMPLATE = "The calculation gives {e} = {r}.";

/**
 * The opening of an answer to a later turn, naming a key point of the first turn (`{k}`). Built only
 * from words the other templates already use, so adding it changed no question's key points.
 */
export const FOLLOW_UP_TEMPLATE = "Here is a follow-up to the first answer about {k}.";
export const FOLLOW_UP_PLAIN = "Here is a follow-up to the first answer.";

/** Every word the templates can write; instruction.ts treats these as stopwords. */
export function templateVocabulary(): string[] {
  const all = [
    ...COVER_TEMPLATES,
    ...DETAIL_TEMPLATES,
    ...FILLER_TEMPLATES,
    ...OPENERS,
    ...CLOSERS,
    ...HEADINGS,
    ARITHMETIC_TEMPLATE,
    FOLLOW_UP_TEMPLATE.replace("{k}", ""),
    "in summary point assistant key verdict final rating covers covered question answer answers",
  ];
  return all.join(" ").toLowerCase().match(/[a-z]+/g) ?? [];
}
