import fs from "node:fs";
import path from "node:path";
import { authSessions } from "@/lib/db/schema";
import { createPool } from "@/lib/db/client";
import { ROOT } from "./server";

/**
 * After the run: no line of any server log the suite produced may hold a secret. Looks for the demo and test-user
 * passwords, sealed session cookies (which carry the raw token), the token hashes of every session of the run's
 * database, and query parameters.
 */
export async function auditServerLogs(databaseUrl: string): Promise<void> {
  const pool = createPool(databaseUrl, 1);
  let hashes: string[];
  try {
    hashes = (await pool.db.select({ hash: authSessions.tokenHash }).from(authSessions)).map((r) => r.hash);
  } finally {
    await pool.sql.end();
  }
  const forbidden: [string, RegExp][] = [
    ["a demo password", /(demo|admin)-password-123/],
    ["a test user's password", /\bpw-[A-Za-z0-9_-]{12}\b/],
    ["a sealed session cookie", /Fe26\.2\*/],
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
      });
  }
  if (findings.length > 0) throw new Error(`Server logs hold secrets:\n${findings.slice(0, 20).join("\n")}`);
  if (hashes.length === 0) throw new Error("log audit: the run's database holds no sessions, so the audit proved nothing");
}
