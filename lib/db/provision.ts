import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { generateSecrets, loadOrCreateLocalSecrets } from "@/lib/local-secrets";
import { makeEphemeralDataDir, startEmbeddedPostgres } from "./embedded";

/**
 * Where the database comes from, for the launcher and the test set-ups:
 * - DATABASE_URL given: that server (ephemeral runs get a fresh database on it, dropped afterwards);
 * - otherwise the embedded PostgreSQL: persistent in `.data/postgres`, or a temporary one for ephemeral runs.
 */

export type ProvisionOptions = {
  /** DATABASE_URL from the environment, if any. */
  externalUrl?: string;
  /** Throw-away database (tests). */
  ephemeral: boolean;
  /** A throw-away embedded server that still syncs to disk like a real one (benchmarks). */
  durable?: boolean;
  /** The project's .data folder (persistent embedded server and local secrets). */
  dataDir: string;
};

export type ProvisionedDatabase = {
  url: string;
  /** A connection to another database on the same server, for CREATE/DROP DATABASE. */
  adminUrl: string;
  /** Secrets generated for the embedded default, to put in the environment where unset. */
  secrets: { SESSION_SECRET: string; CRON_SECRET: string; MFA_ENCRYPTION_KEY: string } | null;
  notices: string[];
  /** Done with it: drops an ephemeral database, lets go of the embedded server (stopped when nobody else holds it). */
  release(): Promise<void>;
};

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function provisionDatabase(options: ProvisionOptions): Promise<ProvisionedDatabase> {
  if (options.externalUrl) {
    if (!options.ephemeral) {
      return { url: options.externalUrl, adminUrl: options.externalUrl, secrets: null, notices: [], release: async () => {} };
    }
    const name = `growbal_run_${randomBytes(5).toString("hex")}`;
    await createDatabase(options.externalUrl, name);
    return {
      url: withDatabase(options.externalUrl, name),
      adminUrl: options.externalUrl,
      secrets: null,
      notices: [],
      release: () => dropDatabase(options.externalUrl!, name),
    };
  }

  const notices: string[] = [];
  let password: string;
  let secrets: ProvisionedDatabase["secrets"];
  let pgDataDir: string;
  if (options.ephemeral) {
    const generated = generateSecrets();
    password = generated.postgresPassword;
    secrets = {
      SESSION_SECRET: generated.sessionSecret,
      CRON_SECRET: generated.cronSecret,
      MFA_ENCRYPTION_KEY: generated.mfaEncryptionKey,
    };
    pgDataDir = makeEphemeralDataDir();
  } else {
    const local = loadOrCreateLocalSecrets(options.dataDir);
    if (local.created) {
      const file = path.relative(process.cwd(), path.join(options.dataDir, "secrets.json"));
      notices.push(`generated local secrets in ${file} (kept between runs, never committed)`);
    }
    password = local.secrets.postgresPassword;
    secrets = {
      SESSION_SECRET: local.secrets.sessionSecret,
      CRON_SECRET: local.secrets.cronSecret,
      MFA_ENCRYPTION_KEY: local.secrets.mfaEncryptionKey,
    };
    pgDataDir = path.join(options.dataDir, "postgres");
  }

  const server = await startEmbeddedPostgres({ dataDir: pgDataDir, password, ephemeral: options.ephemeral, durable: options.durable });
  if (server.adopted) notices.push("joining the embedded PostgreSQL already running on this data folder");
  await createDatabase(server.url, "growbal", { ifMissing: true });
  return {
    url: withDatabase(server.url, "growbal"),
    adminUrl: server.url,
    secrets,
    notices,
    release: async () => {
      await server.release();
      if (options.ephemeral) fs.rmSync(path.dirname(pgDataDir), { recursive: true, force: true });
    },
  };
}

function assertIdentifier(name: string): void {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name: ${name}`);
}

export async function createDatabase(
  adminUrl: string,
  name: string,
  options: { template?: string; ifMissing?: boolean } = {},
): Promise<void> {
  assertIdentifier(name);
  if (options.template) assertIdentifier(options.template);
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    if (options.ifMissing) {
      const [existing] = await sql`select 1 from pg_database where datname = ${name}`;
      if (existing) return;
    }
    await sql.unsafe(`create database ${name}${options.template ? ` template ${options.template}` : ""}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  assertIdentifier(name);
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
