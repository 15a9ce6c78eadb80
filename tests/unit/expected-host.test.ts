import { describe, expect, it } from "vitest";
import { isExpectedHost } from "@/lib/http/expected-host";

const headers = (values: Record<string, string>) => new Headers(values);

describe("isExpectedHost", () => {
  it("accepts the configured host and refuses any other", () => {
    expect(isExpectedHost(headers({ host: "growbal.example" }), "https://growbal.example", 0)).toBe(true);
    expect(isExpectedHost(headers({ host: "GROWBAL.example:443" }), "https://growbal.example", 0)).toBe(true);
    expect(isExpectedHost(headers({ host: "evil.example" }), "https://growbal.example", 0)).toBe(false);
    expect(isExpectedHost(headers({ host: "growbal.example:8443" }), "https://growbal.example", 0)).toBe(false);
    expect(isExpectedHost(headers({}), "https://growbal.example", 0)).toBe(false);
    expect(isExpectedHost(headers({ host: "bad host/" }), "https://growbal.example", 0)).toBe(false);
  });

  it("reads the host a trusted proxy forwarded, and ignores that header without one", () => {
    const proxied = headers({ host: "app:3000", "x-forwarded-host": "growbal.example" });
    expect(isExpectedHost(proxied, "https://growbal.example", 1)).toBe(true);
    expect(isExpectedHost(proxied, "https://growbal.example", 0)).toBe(false);
  });

  it("treats every loopback name on the right port as a localhost origin", () => {
    for (const host of ["localhost:3000", "127.0.0.1:3000", "[::1]:3000"]) {
      expect(isExpectedHost(headers({ host }), "http://localhost:3000", 0)).toBe(true);
    }
    expect(isExpectedHost(headers({ host: "127.0.0.1:3001" }), "http://localhost:3000", 0)).toBe(false);
    expect(isExpectedHost(headers({ host: "growbal.example:3000" }), "http://localhost:3000", 0)).toBe(false);
  });
});
