import { describe, expect, it } from "vitest";
import { refusal } from "../../src/services/batch-coordinator.js";

describe("refusal: which submission errors fail the requests instead of sending them again", () => {
  const cases: { status: number; refused: boolean; says?: string }[] = [
    { status: 404, refused: true, says: "no batch API" },
    { status: 405, refused: true, says: "no batch API" },
    { status: 413, refused: true, says: "MATRIX_ARENA_BATCH_MAX_REQUESTS" },
    { status: 400, refused: true, says: "HTTP 400" },
    { status: 401, refused: true, says: "HTTP 401" },
    { status: 403, refused: true, says: "HTTP 403" },
    { status: 422, refused: true, says: "HTTP 422" },
    // Passing: a timeout, a conflict, rate limits and server errors go back to pending.
    { status: 408, refused: false },
    { status: 409, refused: false },
    { status: 429, refused: false },
    { status: 500, refused: false },
    { status: 502, refused: false },
    { status: 503, refused: false },
  ];
  for (const tc of cases) {
    it(`HTTP ${tc.status}: ${tc.refused ? "refused" : "retried"}`, () => {
      const why = refusal(tc.status, "the provider's message", 120);
      if (!tc.refused) return expect(why).toBeNull();
      expect(why).toContain(tc.says ?? "");
      expect(why).toContain("the provider's message");
    });
  }
});
