import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { migrationState, SchemaNewerThanCode } from "./migration-state";

// Any fixed number: instances starting together take turns instead of racing the same migration.
const MIGRATION_LOCK_KEY = 0x67726f62;

/**
 * Applies the committed SQL migrations in drizzle/: safe to run twice and from several instances at once (they take
 * turns under an advisory lock). Refuses, changing nothing, when the database was migrated by newer code.
 */
export async function runMigrations(url: string, migrationsFolder = path.join(process.cwd(), "drizzle")): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    const schema = await migrationState(sql);
    if (schema.state === "ahead") throw new SchemaNewerThanCode(schema.appliedAt, schema.latest);
    await migrate(drizzle(sql), { migrationsFolder });
  } finally {
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => undefined);
    await sql.end({ timeout: 5 });
  }
}
