/**
 * Instruction cleaning: normalisation and content hashes, MinHash/LSH near-duplicate detection,
 * 13-gram decontamination against benchmark prompt sets, quality filters, and `cleanInstructions`,
 * which runs them all in one ordered pass. Everything here is pure (no I/O, seeds passed in).
 */
export {
  cleanInstructions,
  DEDUP_LSH_WEIGHTS,
  DEFAULT_NEAR_DUP_THRESHOLD,
  type CleanOptions,
  type CleanResult,
  type ExistingPool,
  type Fingerprint,
  type Removal,
  type RemovalReason,
} from "./clean.js";
export {
  BenchmarkFormatError,
  loadBenchmarkPrompts,
  parseAlpacaEval,
  parseArenaHard,
  parseMtBench,
  parseSelfInstruct,
  type BenchmarkFormat,
} from "./decontam-formats.js";
export {
  buildDecontamIndex,
  DECONTAM_NGRAM,
  type BenchmarkPrompt,
  type BenchmarkSet,
  type ContaminationHit,
  type DecontamIndex,
} from "./decontaminate.js";
export { applyFilters, checkLength, checkQuality, FILTER_DEFAULTS, REFUSAL_PATTERNS, type FilterOptions, type FilterReason, type FilterResult } from "./filters.js";
export { candidateProbability, createLshIndex, optimalLshParams, type LshIndex, type LshParams, type LshWeights } from "./lsh.js";
export {
  createMinHasher,
  DEFAULT_MINHASH_SEED,
  DEFAULT_NGRAM,
  DEFAULT_NUM_PERM,
  estimateJaccard,
  exactJaccard,
  type MinHasher,
  type MinHashOptions,
} from "./minhash.js";
export { contentHash } from "../../../lib/content-hash.js";
export { prepareText, type PreparedText } from "./normalize.js";
