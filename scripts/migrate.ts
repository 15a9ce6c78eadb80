/**
 * The production migration step, bundled into the standalone build as migrate.js (`node migrate.js`); from a
 * clone, `npm run db:migrate` does the same. Applies the migrations in drizzle/ to DATABASE_URL: safe to run
 * twice and from several instances at once (advisory lock); refuses, changing nothing, a database migrated by
 * newer code. On a public APP_URL it also refuses while a demo account keeps its published password.
 * SEED_DEMO_USERS=true on a localhost APP_URL creates the demo accounts (a local trial of the build).
 */
import path from "node:path";
import { ConfigError, parseConfig } from "../lib/config";
import { SchemaNewerThanCode } from "../lib/db/migration-state";
import { prepareDatabase, PublicDemoAccountsError } from "../lib/startup/prepare-database";

async function main(): Promise<number> {
  process.chdir(path.resolve(__dirname, __dirname.endsWith("scripts") ? ".." : "."));
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  if (!config.DATABASE_URL) {
    console.error("DATABASE_URL is required: the PostgreSQL database to migrate.");
    return 1;
  }
  try {
    const created = await prepareDatabase(config.DATABASE_URL, {
      seedDemoUsers: config.SEED_DEMO_USERS ?? false,
      appOrigin: config.appOrigin,
    });
    console.log(`growbal: database is up to date${created.length > 0 ? `; created demo accounts: ${created.join(", ")}` : ""}.`);
    return 0;
  } catch (error) {
    if (error instanceof PublicDemoAccountsError || error instanceof SchemaNewerThanCode) {
      console.error(`growbal: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // The error's kind only: a driver's message can carry connection details.
    console.error(
      `growbal: migration failed: ${error instanceof Error ? `${error.name}${"code" in error ? ` (${String(error.code)})` : ""}` : "unknown error"}`,
    );
    process.exit(1);
  },
);
