import { describe, expect, it } from "vitest";
import { safeNextPath } from "@/lib/security/safe-redirect";

describe("safeNextPath", () => {
  it.each([
    ["/dashboard", "/dashboard"],
    ["/chat/123?tab=history#end", "/chat/123?tab=history#end"],
    ["/admin/security", "/admin/security"],
  ])("keeps the same-origin path %s", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });

  it.each([
    ["https://evil.example/phish"],
    ["//evil.example"],
    ["/\\evil.example"],
    ["\\\\evil.example"],
    ["/\t/evil.example"],
    ["/.//evil.example"],
    ["/a/..//evil.example"],
    ["javascript:alert(1)"],
    ["dashboard"],
    ["/login?next=/dashboard"],
    ["/logout"],
    [""],
    [null],
    [undefined],
  ])("refuses %j and falls back", (input) => {
    expect(safeNextPath(input)).toBe("/dashboard");
    expect(safeNextPath(input, "/")).toBe("/");
  });
});
