import { seedDemoUsers } from "@/lib/auth/users";
import { createPool } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";

/** Applies migrations and, when asked, creates the missing demo accounts; returns the accounts it created. */
export async function prepareDatabase(url: string, options: { seedDemoUsers: boolean }): Promise<string[]> {
  await runMigrations(url);
  if (!options.seedDemoUsers) return [];
  const pool = createPool(url, 2);
  try {
    return await seedDemoUsers(pool.db);
  } finally {
    await pool.sql.end({ timeout: 5 });
  }
}
