import { randomBytes } from "node:crypto";
import { afterAll, inject } from "vitest";
import { resetConfigForTests } from "@/lib/config";
import { closeDb } from "@/lib/db/client";
import { createDatabase, dropDatabase, withDatabase } from "@/lib/db/provision";

// Each test file: its own database, copied from the migrated template, dropped afterwards.
const adminUrl = inject("adminUrl");
const name = `test_${randomBytes(6).toString("hex")}`;
await createDatabase(adminUrl, name, { template: inject("templateDatabase") });

process.env.DATABASE_URL = withDatabase(adminUrl, name);
process.env.SESSION_SECRET = inject("sessionSecret");
process.env.MFA_ENCRYPTION_KEY = inject("mfaEncryptionKey");
// Real bcrypt, cheaper rounds: tests check behaviour, bench/ measures cost.
process.env.BCRYPT_COST ??= "4";
resetConfigForTests();

afterAll(async () => {
  await closeDb();
  await dropDatabase(adminUrl, name);
});
