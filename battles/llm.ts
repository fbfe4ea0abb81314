/**
 * What battles need from the provider gateway, by model *name*. The composition root adapts the
 * real gateway to this; battles/ never imports src/. Failures are values, as in the gateway.
 */

export interface LlmMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface LlmOk {
  ok: true;
  /** The final answer (the reasoning trace apart). */
  text: string;
  /** The reasoning trace; null or absent when the model gave none. */
  trace?: string | null;
  /** "unclosed": the output ended inside the trace, so `text` is empty. */
  traceStatus?: "none" | "closed" | "unclosed";
  /** completionTokens includes reasoningTokens. */
  usage: { promptTokens: number; completionTokens: number; reasoningTokens?: number };
  latencyMs: number;
  cached: boolean;
  costUsd: number;
}

export interface LlmFailure {
  ok: false;
  kind: string;
  message: string;
  retryable: boolean;
}

export interface LlmScoreOk {
  ok: true;
  score: number;
  latencyMs: number;
  cached: boolean;
}

/** Spend of one call: tokens (prompt + completion) and USD. */
export interface CallSpend {
  tokens: number;
  costUsd: number;
}

/**
 * A budget a call is charged to (the gateway's `SpendGuard`): `reserve` runs before the call is
 * sent, `finish` after it, with the real spend or null when it failed.
 */
export interface CallGuard {
  /** `detached`: see src/gateway/types.ts SpendOptions (a batch call's reservation, not held by this battle's lease). */
  reserve(est: CallSpend, opts?: { detached?: boolean }): Promise<boolean>;
  finish(est: CallSpend, actual: CallSpend | null, opts?: { detached?: boolean }): Promise<void>;
}

export interface BattleLlm {
  chat(
    model: string,
    req: {
      messages: LlmMessage[];
      jsonSchema?: { name: string; schema: Record<string, unknown> };
      params?: { seed?: number; temperature?: number };
      bypassCache?: boolean;
      purpose: string;
      guard?: CallGuard;
      /** The round asking: a batch model's request is recorded under it (cancelling the round cancels its batches). */
      owner?: string;
    },
  ): Promise<LlmOk | LlmFailure>;
  score(model: string, text: string): Promise<LlmScoreOk | LlmFailure>;
}
