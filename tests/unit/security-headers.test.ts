import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce, securityHeaders } from "@/lib/security/headers";
import { endReasons } from "@/lib/policies/types";
import { endReasonMessage } from "@/lib/sessions/end-reasons";

describe("security headers", () => {
  it("builds a nonce-based CSP that forbids framing and plugins", () => {
    const csp = contentSecurityPolicy("abc", { development: false, https: true });
    expect(csp).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("upgrade-insecure-requests");
    // Style elements need the nonce; only style attributes may be inline.
    expect(csp).toContain("style-src 'self' 'nonce-abc'; style-src-attr 'unsafe-inline'");
    expect(csp).not.toMatch(/style-src [^;]*'unsafe-inline'/);
    expect(contentSecurityPolicy("abc", { development: true, https: false })).toContain("'unsafe-eval'");
  });

  it("adds HSTS only in production over https", () => {
    expect(securityHeaders("x", { production: true, https: true })["Strict-Transport-Security"]).toMatch(/max-age=\d+/);
    expect(securityHeaders("x", { production: true, https: false })["Strict-Transport-Security"]).toBeUndefined();
    expect(securityHeaders("x", { production: false, https: true })).toMatchObject({
      "X-Frame-Options": "DENY",
      "X-Content-Type-Options": "nosniff",
    });
  });

  it("makes a fresh nonce each time", () => {
    expect(newNonce()).not.toBe(newNonce());
    expect(newNonce()).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

describe("endReasonMessage", () => {
  it("explains known reasons and ignores anything else", () => {
    expect(endReasonMessage("signed_out")).toBe("You have been signed out.");
    expect(endReasonMessage("<script>")).toBeNull();
    expect(endReasonMessage("toString")).toBeNull();
    expect(endReasonMessage(null)).toBeNull();
  });

  it("has a plain-words sentence for every reason a session can end", () => {
    for (const reason of endReasons) expect(endReasonMessage(reason), reason).toMatch(/^[A-Z].{10,}\.$/);
    expect(endReasonMessage("idle_timeout", "60")).toBe("You were signed out after 60 minutes of inactivity.");
  });
});
