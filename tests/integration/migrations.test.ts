import { describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { getSql } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { migrationState, SchemaNewerThanCode } from "@/lib/db/migration-state";
import journal from "@/drizzle/meta/_journal.json";

const latest = journal.entries[journal.entries.length - 1]!;
const ready = () => health(new Request("http://localhost:3000/api/health?ready=1"));

describe("migrations in production", () => {
  it("run twice, and at once from two places, leaving the schema current", async () => {
    const url = process.env.DATABASE_URL!;
    await Promise.all([runMigrations(url), runMigrations(url)]);
    await runMigrations(url);
    expect(await migrationState(getSql())).toEqual({ state: "current", latest: latest.tag });
    const response = await ready();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", db: "ok", checks: { database: "ok", migrations: "ok", sessionSecret: "ok" } });
  });

  it("refuse, changing nothing, a database migrated by newer code; readiness says which check failed", async () => {
    const sql = getSql();
    const future = latest.when + 60_000;
    await sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-a-newer-version', ${future})`;
    try {
      expect(await migrationState(sql)).toMatchObject({ state: "ahead", latest: latest.tag });
      await expect(runMigrations(process.env.DATABASE_URL!)).rejects.toBeInstanceOf(SchemaNewerThanCode);
      await expect(runMigrations(process.env.DATABASE_URL!)).rejects.toThrow(/database schema is newer than this code/);
      const response = await ready();
      expect(response.status).toBe(503);
      expect(((await response.json()) as { checks: Record<string, string> }).checks).toEqual({
        database: "ok",
        migrations: "ahead",
        sessionSecret: "ok",
      });
      // Liveness does not care: the process and its database are up.
      expect((await health(new Request("http://localhost:3000/api/health"))).status).toBe(200);
    } finally {
      await sql`delete from drizzle.__drizzle_migrations where hash = 'from-a-newer-version'`;
    }
  });
});
