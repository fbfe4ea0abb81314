/**
 * The generator's vocabularies: instruction kinds (MATRIX-Gen), the default category taxonomy (the
 * MT-Bench categories, which the simulator also uses), AgentInstruct content transformations and
 * reading-comprehension question types, Evol-Instruct operators, and persona seed attributes.
 * Every list can be replaced per run; these are the defaults.
 */

export const INSTRUCTION_KINDS = ["sft-simple", "sft-complex", "code", "safety", "multi-turn", "preference"] as const;
export type InstructionKind = (typeof INSTRUCTION_KINDS)[number];

/** Base complexity range (1-5) of each kind before feedback adjusts it. */
export const KIND_COMPLEXITY: Record<InstructionKind, readonly [number, number]> = {
  "sft-simple": [1, 2],
  "sft-complex": [3, 5],
  code: [2, 4],
  safety: [2, 3],
  "multi-turn": [2, 4],
  preference: [2, 4],
};

export const KIND_DESCRIPTIONS: Record<InstructionKind, string> = {
  "sft-simple": "a short, direct request with one clear task",
  "sft-complex": "a demanding request with several parts, constraints and context that needs careful reasoning",
  code: "a programming task (write, fix, explain or review code) with concrete inputs and expected behaviour",
  safety:
    "a request that a responsible assistant should decline or handle carefully (risky, harmful, private or deceptive), phrased as a real user would",
  "multi-turn": "a conversation of 2-3 user turns in which each follow-up builds on the previous answer",
  preference: "an open-ended request where answers can differ clearly in quality (trade-offs, judgement, style), for preference data",
};

export const DEFAULT_CATEGORIES = ["writing", "roleplay", "reasoning", "math", "coding", "extraction", "stem", "humanities"] as const;

export const CATEGORY_DESCRIPTIONS: Record<string, string> = {
  writing: "creative and professional writing",
  roleplay: "role-play, personas and dialogue",
  reasoning: "logic, puzzles and common-sense reasoning",
  math: "mathematics and quantitative problems",
  coding: "software, programming and data",
  extraction: "extracting, summarising and restructuring information",
  stem: "science, technology and engineering knowledge",
  humanities: "history, society, economics, arts and ethics",
};

export const COMPLEXITY_LEVELS: Record<number, string> = {
  1: "very easy: one step, everyday knowledge",
  2: "easy: a couple of steps",
  3: "moderate: several steps or constraints",
  4: "hard: expert knowledge or long reasoning",
  5: "very hard: multi-part, expert-level, many interacting constraints",
};

/** AgentInstruct content transformation flows (seed text -> a new text of this genre). */
export const TRANSFORMATIONS: Record<string, string> = {
  "argument-passage": "an argumentative passage that takes a position on the text's subject and supports it",
  debate: "a debate between two speakers who disagree about the text's subject",
  conversation: "a natural conversation between people discussing the text's content",
  "meeting-transcript": "a meeting transcript in which colleagues discuss and decide something based on the text",
  poem: "a poem that conveys the text's main ideas",
  satire: "a satirical piece that exaggerates the text's subject to make a point",
  "instructional-text": "step-by-step instructional text that teaches something from the text",
};

/** AgentInstruct reading-comprehension taxonomy (question types). */
export const READING_COMPREHENSION_TYPES: Record<string, string> = {
  literal: "a question answered directly by facts stated in the passage",
  inference: "a question whose answer must be inferred from the passage",
  assumption: "identify an assumption the passage's argument depends on",
  strengthen: "which added statement would most strengthen the passage's argument",
  weaken: "which added statement would most weaken the passage's argument",
  flaw: "identify the flaw in the passage's reasoning",
  sequencing: "put events or steps from the passage in the right order",
  vocabulary: "the meaning of a word or phrase as used in the passage",
  "main-idea": "the passage's main idea or purpose",
  "author-attitude": "the author's attitude or tone towards the subject",
};

/** Evol-Instruct operators: in-depth (harder) and in-breadth (new topic, same domain). */
export const EVOL_OPERATORS: Record<string, string> = {
  "add-constraints": "add one or more constraints or requirements to the instruction",
  deepen: "ask for deeper treatment: if the instruction asks about something, increase the depth and breadth of the inquiry",
  concretize: "replace general concepts with more specific, concrete ones",
  "increase-reasoning": "rewrite it so that solving it explicitly requires multiple reasoning steps",
  breadth: "write a brand-new instruction in the same domain that is rarer and more long-tail",
};

/** Operators that raise complexity by one level; `breadth` keeps it. */
export const EVOL_DEEPENING = new Set(["add-constraints", "deepen", "concretize", "increase-reasoning"]);

export const PERSONA_SEED_ATTRIBUTES = {
  occupations: [
    "nurse", "software engineer", "high-school teacher", "farmer", "accountant", "chef", "electrician", "graduate student",
    "journalist", "pharmacist", "small-business owner", "civil engineer", "social worker", "data analyst", "truck driver",
    "architect", "lawyer", "librarian", "musician", "retired police officer", "marketing manager", "biologist",
  ],
  interests: [
    "gardening", "chess", "hiking", "personal finance", "cooking", "photography", "history podcasts", "machine learning",
    "football", "birdwatching", "woodworking", "poetry", "astronomy", "video games", "travel", "volunteering", "running",
    "board games", "jazz", "home renovation", "climate policy", "language learning", "knitting", "cycling",
  ],
  regions: [
    "Lagos, Nigeria", "Sao Paulo, Brazil", "Osaka, Japan", "rural Ohio, USA", "Berlin, Germany", "Mumbai, India",
    "Toronto, Canada", "Nairobi, Kenya", "Melbourne, Australia", "Mexico City, Mexico", "Krakow, Poland", "Manila, Philippines",
  ],
  lifeStages: ["student", "early career", "new parent", "mid-career", "career changer", "nearing retirement", "retired"],
} as const;
