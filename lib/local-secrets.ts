import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * Secrets for the embedded default, generated once into .data/secrets.json (mode 0600) and reused, so a fresh
 * clone runs with no configuration while nothing secret is ever committed.
 */
const secretsSchema = z.object({
  postgresPassword: z.string().min(16),
  sessionSecret: z.string().min(32),
  cronSecret: z.string().min(16),
  // Added later than the others: a secrets file from before it gains one on the next start.
  mfaEncryptionKey: z.string().min(32).optional(),
});
export type LocalSecrets = Required<z.infer<typeof secretsSchema>>;

export function generateSecrets(): LocalSecrets {
  return {
    postgresPassword: randomBytes(18).toString("base64url"),
    sessionSecret: randomBytes(32).toString("base64url"),
    cronSecret: randomBytes(24).toString("base64url"),
    mfaEncryptionKey: randomBytes(32).toString("base64url"),
  };
}

export function loadOrCreateLocalSecrets(dataDir: string): { secrets: LocalSecrets; created: boolean } {
  const file = path.join(dataDir, "secrets.json");
  if (fs.existsSync(file)) {
    const parsed = secretsSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
    if (parsed.success) {
      if (parsed.data.mfaEncryptionKey)
        return { secrets: { ...parsed.data, mfaEncryptionKey: parsed.data.mfaEncryptionKey }, created: false };
      const secrets = { ...parsed.data, mfaEncryptionKey: generateSecrets().mfaEncryptionKey };
      fs.writeFileSync(file, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
      return { secrets, created: false };
    }
    throw new Error(`${file} is damaged; delete it (and ${path.join(dataDir, "postgres")}) to start afresh.`);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secrets = generateSecrets();
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
  return { secrets, created: true };
}
