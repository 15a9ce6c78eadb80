import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "@/lib/config";
import { createLogger } from "@/lib/log/logger";
import { isAcceptableRequestId, requestIdFor } from "@/lib/log/request-id";

function memoryLogger(level: Parameters<typeof createLogger>[0]) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger(level, stream), lines };
}

describe("request ids", () => {
  it("keeps a trusted proxy's id, replaces an untrusted or malformed one", () => {
    expect(requestIdFor("lb-0123456789", true)).toBe("lb-0123456789");
    expect(requestIdFor("lb-0123456789", false)).toMatch(/^[0-9a-f-]{36}$/);
    for (const bad of ["short", "has space 12345", "x".repeat(129), "new\nline-12345", undefined, null]) {
      expect(isAcceptableRequestId(bad)).toBe(false);
      expect(requestIdFor(bad, true)).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(requestIdFor(undefined, true)).not.toBe(requestIdFor(undefined, true));
  });
});

describe("the logger", () => {
  it("writes one JSON object per line with the level's name, and withholds fields named as secrets", () => {
    const { logger, lines } = memoryLogger("info");
    logger.info({ reqId: "r-00000001", password: "hunter2-hunter2", details: { token: "abc", kind: "x" } }, "signed in");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "info", msg: "signed in", reqId: "r-00000001", service: "growbal" });
    expect(lines[0]?.password).toBe("[withheld]");
    expect(lines[0]?.details).toEqual({ token: "[withheld]", kind: "x" });
    expect(typeof lines[0]?.time).toBe("string");
  });

  it("drops lines below LOG_LEVEL", () => {
    const { logger, lines } = memoryLogger("warn");
    logger.info("routine");
    logger.debug("detail");
    logger.warn("attention");
    expect(lines.map((l) => l.msg)).toEqual(["attention"]);
  });

  it("LOG_LEVEL is validated like the rest of the configuration", () => {
    expect(parseConfig({ LOG_LEVEL: "debug" }).LOG_LEVEL).toBe("debug");
    expect(parseConfig({}).LOG_LEVEL).toBe("info");
    expect(() => parseConfig({ LOG_LEVEL: "loud" })).toThrow(ConfigError);
  });
});
