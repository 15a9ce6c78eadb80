import { describe, expect, it } from "vitest";
import { clientIpFromHeaders, normalizeIp } from "@/lib/http/client-ip";

const xff = (value?: string) => new Headers(value === undefined ? {} : { "x-forwarded-for": value });

describe("clientIpFromHeaders", () => {
  it("uses the socket address Next.js records when no proxy is trusted", () => {
    expect(clientIpFromHeaders(xff("198.51.100.7"), 0)).toBe("198.51.100.7");
  });

  it("trusts exactly the configured number of proxy hops, ignoring client-supplied entries", () => {
    // The client forged 1.2.3.4; our one proxy appended the address it really saw.
    expect(clientIpFromHeaders(xff("1.2.3.4, 203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientIpFromHeaders(xff("1.2.3.4, 203.0.113.9, 10.0.0.2"), 2)).toBe("203.0.113.9");
  });

  it("returns null when there are fewer entries than trusted hops or no header", () => {
    expect(clientIpFromHeaders(xff("203.0.113.9"), 2)).toBeNull();
    expect(clientIpFromHeaders(xff(), 0)).toBeNull();
  });

  it("normalises mapped, bracketed and ported forms", () => {
    expect(normalizeIp("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeIp("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normalizeIp("192.0.2.1:8080")).toBe("192.0.2.1");
  });
});
