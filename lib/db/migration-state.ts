import type { Sql } from "postgres";
import journal from "@/drizzle/meta/_journal.json";

/**
 * Where the database's schema stands against the migrations this code carries (drizzle/meta/_journal.json, bundled
 * with the code): `current`, `pending` (migrations to apply) or `ahead` (the database was migrated by newer code,
 * which this code must not run against). Drizzle records each applied migration with its journal time.
 */

export type MigrationState =
  { state: "current"; latest: string } | { state: "pending"; pending: string[] } | { state: "ahead"; appliedAt: Date; latest: string };

type JournalEntry = { when: number; tag: string };
const ENTRIES: JournalEntry[] = (journal as { entries: JournalEntry[] }).entries;

export async function migrationState(sql: Sql): Promise<MigrationState> {
  const [table] = await sql<{ exists: boolean }[]>`select to_regclass('drizzle.__drizzle_migrations') is not null as exists`;
  const applied = table?.exists
    ? Number((await sql<{ last: string | null }[]>`select max(created_at)::text as last from drizzle.__drizzle_migrations`)[0]?.last ?? 0)
    : 0;
  const latest = ENTRIES[ENTRIES.length - 1]!;
  if (applied > latest.when) return { state: "ahead", appliedAt: new Date(applied), latest: latest.tag };
  const pending = ENTRIES.filter((entry) => entry.when > applied).map((entry) => entry.tag);
  return pending.length > 0 ? { state: "pending", pending } : { state: "current", latest: latest.tag };
}

export class SchemaNewerThanCode extends Error {
  constructor(
    readonly appliedAt: Date,
    readonly latest: string,
  ) {
    super(
      `The database schema is newer than this code: it was migrated on ${appliedAt.toISOString()} by a later version ` +
        `(this code knows migrations up to ${latest}). Deploy that version (or newer) instead of this one; ` +
        "nothing was changed.",
    );
    this.name = "SchemaNewerThanCode";
  }
}
