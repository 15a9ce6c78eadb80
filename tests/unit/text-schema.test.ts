import { describe, expect, it } from "vitest";
import { signInSchema } from "@/lib/auth/schemas";
import { messageSchema } from "@/lib/chat/schemas";
import { text } from "@/lib/validation/text";

describe("text()", () => {
  it("refuses NUL and other control characters, keeps tab and newlines", () => {
    const schema = text();
    for (const bad of ["a\u0000b", "\u0007", "x\u001by", "\u007f"]) expect(schema.safeParse(bad).success).toBe(false);
    for (const good of ["plain", "tab\there", "two\nlines\r\n", "ünïcødé ✓ 😀"]) expect(schema.safeParse(good).success).toBe(true);
  });

  it("guards the chat message and the sign-in username with a field error", () => {
    const message = messageSchema.safeParse({ content: "hello\u0000world" });
    expect(message.success).toBe(false);
    expect(message.error?.issues[0]?.path).toEqual(["content"]);
    expect(messageSchema.parse({ content: "  line one\nline two  " })).toEqual({ content: "line one\nline two" });
    expect(signInSchema.safeParse({ username: "demo\u0000", password: "x" }).error?.issues[0]?.path).toEqual(["username"]);
  });
});
