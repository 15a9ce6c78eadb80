import { describe, expect, it } from "vitest";
import { redactLogText } from "@/lib/log/redact";

describe("redactLogText", () => {
  it("withholds a failed query's SQL and parameters, keeping the stack frames", () => {
    const logged = [
      'Error: Failed query: select "id" from "auth_sessions" where "token_hash" = $1',
      "params: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      "    at PostgresJsPreparedQuery.queryWithCache (node_modules/drizzle-orm/pg-core/session.js:41:15)",
    ].join("\n");
    const redacted = redactLogText(logged);
    expect(redacted).not.toContain("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    expect(redacted).not.toContain("token_hash");
    expect(redacted).toContain("Failed query: [query and parameters withheld]");
    expect(redacted).toContain("at PostgresJsPreparedQuery.queryWithCache");
  });

  it("withholds a params line on its own and sealed session cookies", () => {
    expect(redactLogText("params: alice,$2b$12$abcdefghijklmnopqrstuv")).toBe("params: [withheld]");
    expect(redactLogText("cookie growbal_session=Fe26.2*1*abc*def~2; Path=/")).toBe(
      "cookie growbal_session=[sealed cookie withheld]; Path=/",
    );
  });

  it("leaves ordinary lines alone", () => {
    expect(redactLogText("growbal: serving on port 3000")).toBe("growbal: serving on port 3000");
  });
});
