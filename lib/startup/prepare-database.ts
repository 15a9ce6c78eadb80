import { demoAccountsWithPublicPasswords, seedDemoUsers } from "@/lib/auth/users";
import { isLoopbackHost } from "@/lib/config";
import { createPool } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";

export class PublicDemoAccountsError extends Error {
  constructor(
    readonly usernames: string[],
    origin: string,
  ) {
    super(
      `Refusing to start: ${origin} is a public origin, but the demo account${usernames.length === 1 ? "" : "s"} ` +
        `${usernames.join(", ")} still sign${usernames.length === 1 ? "s" : ""} in with the password published in the README. ` +
        "Disable or delete them (`npm run user -- disable <name>`), and create your administrator with " +
        "`npm run user -- create <name> --admin`.",
    );
    this.name = "PublicDemoAccountsError";
  }
}

/**
 * Applies migrations and, when asked, creates the missing demo accounts; returns the accounts it created. On a
 * public origin it refuses (PublicDemoAccountsError) while any demo account still has its published password.
 */
export async function prepareDatabase(url: string, options: { seedDemoUsers: boolean; appOrigin: string }): Promise<string[]> {
  await runMigrations(url);
  const publicOrigin = !isLoopbackHost(new URL(options.appOrigin).hostname);
  if (!options.seedDemoUsers && !publicOrigin) return [];
  const pool = createPool(url, 2);
  try {
    if (publicOrigin) {
      const exposed = await demoAccountsWithPublicPasswords(pool.db);
      if (exposed.length > 0) throw new PublicDemoAccountsError(exposed, options.appOrigin);
      return [];
    }
    return await seedDemoUsers(pool.db);
  } finally {
    await pool.sql.end({ timeout: 5 });
  }
}
