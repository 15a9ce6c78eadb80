import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { makeEphemeralDataDir, startEmbeddedPostgres, type EmbeddedServer } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";

const dataDir = makeEphemeralDataDir("growbal-adopt-");
const started: EmbeddedServer[] = [];

afterAll(async () => {
  for (const server of started.reverse()) await server.stop().catch(() => undefined);
  fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
});

describe("embedded PostgreSQL", () => {
  it("reuses a server left running by a crashed start instead of failing", async () => {
    // The first launcher "crashes": its server keeps running and nobody stops it.
    const first = await startEmbeddedPostgres({ dataDir, password: "adopt-test-password" });
    started.push(first);
    expect(first.adopted).toBe(false);

    const second = await startEmbeddedPostgres({ dataDir, password: "adopt-test-password" });
    started.push(second);
    expect(second.adopted).toBe(true);
    expect(second.port).toBe(first.port);

    const sql = postgres(second.url, { max: 1 });
    const [row] = await sql<{ version: string }[]>`select version()`;
    await sql.end();
    expect(row?.version).toMatch(/^PostgreSQL \d+/);

    await runMigrations(second.url);
    // Applying migrations again is a no-op.
    await runMigrations(second.url);
    const check = postgres(second.url, { max: 1 });
    const tables = await check<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`;
    await check.end();
    expect(tables.map((t) => t.table_name)).toEqual([
      "auth_sessions",
      "chat_messages",
      "chat_sessions",
      "cleanup_runs",
      "policy_overrides",
      "security_alerts",
      "security_events",
      "users",
    ]);

    await second.stop();
    expect(fs.existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);
  });
});
