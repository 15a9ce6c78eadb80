import path from "node:path";
import type { TestProject } from "vitest/node";
import { provisionDatabase } from "@/lib/db/provision";
import { runMigrations } from "@/lib/db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    adminUrl: string;
    templateDatabase: string;
    sessionSecret: string;
    mfaEncryptionKey: string;
  }
}

/** Starts one real PostgreSQL (embedded, or a fresh database on DATABASE_URL) and migrates a template database. */
export default async function setup(project: TestProject) {
  const database = await provisionDatabase({
    externalUrl: process.env.DATABASE_URL?.trim() || undefined,
    ephemeral: true,
    dataDir: path.resolve(".data"),
  });
  await runMigrations(database.url);
  project.provide("adminUrl", database.adminUrl);
  project.provide("templateDatabase", new URL(database.url).pathname.slice(1));
  project.provide("sessionSecret", database.secrets?.SESSION_SECRET ?? "integration-test-session-secret-0123456789abcdef");
  project.provide("mfaEncryptionKey", database.secrets?.MFA_ENCRYPTION_KEY ?? "integration-test-mfa-encryption-key-0123456789");
  return () => database.release();
}
