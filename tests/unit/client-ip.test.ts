import { describe, expect, it } from "vitest";
import { clientIpFromHeaders, normalizeIp } from "@/lib/http/client-ip";
import { trustForwardedHeaders } from "@/lib/http/forwarded";

const xff = (value?: string) => new Headers(value === undefined ? {} : { "x-forwarded-for": value });

describe("clientIpFromHeaders", () => {
  it("uses the socket address the server put in the header when no proxy is trusted", () => {
    expect(clientIpFromHeaders(xff("198.51.100.7"), 0)).toBe("198.51.100.7");
  });

  it("returns only valid IPv4 or IPv6 addresses", () => {
    expect(clientIpFromHeaders(xff("2001:db8::7"), 0)).toBe("2001:db8::7");
    for (const junk of ["<script>", "999.1.1.1", "not-an-ip", "1.2.3", "::g", "a".repeat(300)]) {
      expect(clientIpFromHeaders(xff(junk), 0)).toBeNull();
      expect(clientIpFromHeaders(xff(`1.2.3.4, ${junk}`), 1)).toBeNull();
    }
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

describe("trustForwardedHeaders", () => {
  it("with no trusted proxy replaces whatever the client claimed with the socket address", () => {
    const headers = { "x-forwarded-for": "1.2.3.4", "x-forwarded-host": "evil.example", "x-real-ip": "5.6.7.8", host: "app.example" };
    trustForwardedHeaders(headers, "198.51.100.7", 0);
    expect(headers).toEqual({ "x-forwarded-for": "198.51.100.7", host: "app.example" });
    expect(clientIpFromHeaders(new Headers(headers), 0)).toBe("198.51.100.7");
  });

  it("with trusted proxies keeps their header, and falls back to the socket when there is none", () => {
    const proxied = { "x-forwarded-for": "1.2.3.4, 203.0.113.9", "x-forwarded-host": "app.example" };
    trustForwardedHeaders(proxied, "10.0.0.2", 1);
    expect(proxied).toEqual({ "x-forwarded-for": "1.2.3.4, 203.0.113.9", "x-forwarded-host": "app.example" });
    const direct: Record<string, string> = {};
    trustForwardedHeaders(direct, "10.0.0.2", 1);
    expect(direct["x-forwarded-for"]).toBe("10.0.0.2");
  });
});
