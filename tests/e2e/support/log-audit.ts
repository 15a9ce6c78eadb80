import fs from "node:fs";
import path from "node:path";
import { authSessions } from "@/lib/db/schema";
import { createPool } from "@/lib/db/client";
import { ROOT } from "./server";

/**
 * After the run: no line of any server log the suite produced may hold a secret. Looks for the demo and test-user
 * passwords, sealed session cookies (which carry the raw token), API and personal access tokens (gbt_…), the token
 * hashes and the ids of every session of the run's database (logs carry only their keyed hash), and query parameters.
 */
export async function auditServerLogs(databaseUrl: string): Promise<void> {
  const pool = createPool(databaseUrl, 1);
  let hashes: string[];
  let sessionIds: Set<string>;
  try {
    const sessions = await pool.db.select({ id: authSessions.id, hash: authSessions.tokenHash }).from(authSessions);
    hashes = sessions.map((r) => r.hash);
    sessionIds = new Set(sessions.map((r) => r.id));
  } finally {
    await pool.sql.end();
  }
  const forbidden: [string, RegExp][] = [
    ["a demo password", /(demo|admin)-password-123/],
    ["a test user's password", /\bpw-[A-Za-z0-9_-]{12}\b/],
    ["a sealed session cookie", /Fe26\.2\*/],
    ["an API token", /\bgbt_[0-9a-f-]{36}\./],
    ["query parameters", /\bparams: (?!\[withheld\])/],
  ];
  const hashSet = new Set(hashes);
  const findings: string[] = [];
  const folder = path.join(ROOT, "test-results");
  for (const name of fs.readdirSync(folder).filter((f) => f.startsWith("e2e-") && f.endsWith(".log"))) {
    fs.readFileSync(path.join(folder, name), "utf8")
      .split("\n")
      .forEach((line, index) => {
        for (const [what, pattern] of forbidden) if (pattern.test(line)) findings.push(`${name}:${index + 1}: ${what}`);
        for (const hex of line.match(/\b[0-9a-f]{64}\b/g) ?? [])
          if (hashSet.has(hex)) findings.push(`${name}:${index + 1}: a session token hash`);
        for (const id of line.match(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g) ?? [])
          if (sessionIds.has(id)) findings.push(`${name}:${index + 1}: a session id`);
      });
  }
  // Not vacuous: the run's server did log its requests and sign-ins, as JSON lines with request ids.
  const main = fs.readFileSync(path.join(folder, "e2e-server.log"), "utf8");
  if (!/"reqId":"[^"]+"[^\n]*"msg":"request"/.test(main) || !/"event":"login_succeeded"/.test(main)) {
    findings.push("e2e-server.log: no JSON request or sign-in lines (the audit would prove nothing)");
  }
  if (findings.length > 0) throw new Error(`Server logs hold secrets:\n${findings.slice(0, 20).join("\n")}`);
  if (hashes.length === 0) throw new Error("log audit: the run's database holds no sessions, so the audit proved nothing");
}
