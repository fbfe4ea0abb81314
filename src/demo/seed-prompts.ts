/**
 * A small, original set of prompt templates across the simulator's categories, used by the demo when
 * no generator run is requested (`--instructions templates`). Each template is combined with topics
 * to give a few hundred distinct, realistic-looking instructions.
 */

const TEMPLATES: { category: string; complexity: number; texts: string[]; topics: string[] }[] = [
  {
    category: "coding",
    complexity: 3,
    texts: ["Write a Python function that {t}, with tests.", "Explain how to debug code that {t}.", "Implement an algorithm in TypeScript that {t} and state its complexity."],
    topics: ["merges overlapping intervals", "parses a CSV file with quoted fields", "finds the longest palindromic substring", "rate-limits calls to an API", "detects a cycle in a linked list", "validates an email address with a regex"],
  },
  {
    category: "math",
    complexity: 4,
    texts: ["Solve step by step: {t}.", "Prove or disprove the claim that {t}.", "Calculate {t} and explain each step."],
    topics: ["the probability of two sixes in three dice rolls", "the sum of the first 50 odd integers", "the area of a triangle with sides 7, 8 and 9", "whether every prime above 3 is one more or one less than a multiple of 6", "the derivative of x^3 sin(x)"],
  },
  {
    category: "writing",
    complexity: 2,
    texts: ["Write a short story about {t}.", "Draft a persuasive email about {t}.", "Compose a haiku sequence about {t}."],
    topics: ["a lighthouse keeper who collects lost letters", "moving a team meeting to Fridays", "the first snow in a desert town", "a bakery that only opens at night", "returning a library book thirty years late"],
  },
  {
    category: "reasoning",
    complexity: 4,
    texts: ["Solve this logic puzzle and explain your reasoning: {t}.", "Which assumption does this argument rely on? {t}"],
    topics: ["three friends each own a different pet and only one of them tells the truth", "if every runner who trains daily finishes the race, and Sam finished, did Sam train daily", "a train leaves at 3pm going 60 km/h and another at 4pm going 80 km/h on the same track"],
  },
  {
    category: "extraction",
    complexity: 2,
    texts: ["Extract all dates and names from this passage and return a table: {t}", "Summarize the key information in this document: {t}"],
    topics: ["On 3 May 2021 Ana Ruiz met Tom Lee in Lisbon to sign the lease, which ends 30 April 2024.", "The quarterly report notes revenue of 4.2 million, up 8 percent, and a new office opening in Oslo in June."],
  },
  {
    category: "stem",
    complexity: 3,
    texts: ["Explain {t} to a first-year university student.", "Describe an experiment that demonstrates {t}."],
    topics: ["how photosynthesis stores energy", "why satellites stay in orbit", "how neural network training uses gradient descent", "what makes semiconductors conduct", "how enzymes speed up a reaction"],
  },
  {
    category: "humanities",
    complexity: 3,
    texts: ["Discuss the historical causes of {t}.", "Compare two philosophical views on {t}."],
    topics: ["the fall of the Western Roman Empire", "free will and moral responsibility", "the rise of inflation in the 1970s", "the ethics of animal testing"],
  },
  {
    category: "roleplay",
    complexity: 2,
    texts: ["Pretend you are {t} and answer a visitor's questions in character."],
    topics: ["a museum guide in ancient Athens", "a ship's captain in a storm", "a dungeon master starting a new game", "a chess coach meeting a new student"],
  },
];

export interface SeedInstruction {
  text: string;
  category: string;
  complexity: number;
  source: string;
}

/** Every template crossed with every topic of its category. */
export function templateInstructions(): SeedInstruction[] {
  const out: SeedInstruction[] = [];
  for (const group of TEMPLATES) {
    for (const tpl of group.texts) {
      for (const topic of group.topics) out.push({ text: tpl.replace("{t}", topic), category: group.category, complexity: group.complexity, source: "demo-templates" });
    }
  }
  return out;
}
