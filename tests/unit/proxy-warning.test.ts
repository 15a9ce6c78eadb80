import { describe, expect, it } from "vitest";
import { noteForwardedHeaders, proxyWarning } from "@/lib/http/proxy-warning";

describe("noteForwardedHeaders", () => {
  it("notes X-Forwarded-For only when no proxy is trusted, and says so once", () => {
    expect(noteForwardedHeaders({ "x-forwarded-for": "203.0.113.5" }, 1)).toBe(false);
    expect(noteForwardedHeaders({}, 0)).toBe(false);
    expect(proxyWarning()).toBeNull();

    const at = new Date("2026-12-02T10:00:00Z");
    expect(noteForwardedHeaders({ "x-forwarded-for": "203.0.113.5" }, 0, at)).toBe(true);
    expect(noteForwardedHeaders({ "x-forwarded-for": "203.0.113.6" }, 0)).toBe(false);
    expect(proxyWarning()).toEqual({ firstSeenAt: at, requests: 2 });
  });
});
