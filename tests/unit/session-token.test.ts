/**
 * lib/session-token.ts, table-driven. The reference MAC below was computed independently with
 * `printf 'v1.key-1.1000' | openssl dgst -sha256 -hmac s3cret -binary | basenc --base64url | tr -d =`.
 */
import { describe, expect, it } from "vitest";
import { checkSessionToken, readSessionToken, signSessionToken } from "../../lib/session-token.js";

const REF = "v1.key-1.1000.1IOX-tbK2EZdvYO1eVInqi72PGLoJnrfy-gcbV-Z8So";

describe("session tokens", () => {
  it("signs to the reference HMAC-SHA256", () => {
    expect(signSessionToken("s3cret", "key-1", 1000)).toBe(REF);
  });

  const good = signSessionToken("s3cret", "key-1", 1000);
  const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === "A" ? "B" : "A") + s.slice(at + 1);
  it.each([
    ["valid before expiry", "s3cret", good, 999, true],
    ["dead at expiry", "s3cret", good, 1000, false],
    ["dead after expiry", "s3cret", good, 5000, false],
    ["wrong secret (another key's hash)", "other", good, 10, false],
    ["tampered mac", "s3cret", flip(good, good.length - 1), 10, false],
    ["expiry raised by the holder", "s3cret", good.replace(".1000.", ".9000."), 10, false],
    ["key id swapped", "s3cret", good.replace("key-1", "key-2"), 10, false],
    ["empty", "s3cret", "", 10, false],
    ["not four parts", "s3cret", "v1.key-1.1000", 10, false],
    ["other version", "s3cret", good.replace(/^v1/, "v2"), 10, false],
    ["leading zero expiry", "s3cret", good.replace(".1000.", ".01000."), 10, false],
    ["overlong", "s3cret", good + "x".repeat(300), 10, false],
  ])("%s", (_name, secret, token, now, want) => {
    expect(checkSessionToken(secret, token, now)).toBe(want);
  });

  it.each([
    [good, { keyId: "key-1", expiresAt: 1000 }],
    ["v1.a b.1000." + "A".repeat(43), null],
    ["v1.key.abc." + "A".repeat(43), null],
    ["v1.key.1000." + "A".repeat(42), null],
  ])("reads %s", (token, want) => {
    expect(readSessionToken(token)).toEqual(want);
  });

  it("refuses to sign what it could not read back", () => {
    expect(() => signSessionToken("s", "a.b", 10)).toThrow(/key id/);
    expect(() => signSessionToken("s", "k", 0)).toThrow(/expiry/);
    expect(() => signSessionToken("s", "k", 1.5)).toThrow(/expiry/);
  });
});
