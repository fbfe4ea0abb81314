import { describe, expect, it } from "vitest";
import { thrownByDriver } from "../../src/cli/driver-faults.js";

const withStack = (stack: string) => Object.assign(new Error("x"), { stack });

describe("thrownByDriver", () => {
  it.each([
    ["postgres.js's own timer (the seen fault)", "TypeError: Cannot read properties of null (reading 'write')\n    at Immediate.nextWrite (file:///app/node_modules/postgres/src/connection.js:255:22)\n    at process.processImmediate (node:internal/timers:483:21)", true],
    ["our code calling into the driver", "Error: boom\n    at claim (/app/db/job-queue.ts:95:30)\n    at sql (file:///app/node_modules/postgres/src/index.js:112:11)", false],
    ["a network error thrown by node itself", "Error: connect ECONNREFUSED\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16)", false],
    ["a package merely named like it", "Error: x\n    at f (/app/node_modules/postgres-extra/src/a.js:1:1)", false],
    ["windows paths", "Error: x\n    at f (C:\\app\\node_modules\\postgres\\src\\connection.js:1:1)", true],
    ["no frames", "Error: x", false],
  ])("%s -> %s", (_name, stack, expected) => {
    expect(thrownByDriver(withStack(stack))).toBe(expected);
  });
  it("non-errors are not driver faults", () => {
    expect(thrownByDriver("boom")).toBe(false);
    expect(thrownByDriver(null)).toBe(false);
  });
});
