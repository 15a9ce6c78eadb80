import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { canQuery, makeEphemeralDataDir, startEmbeddedPostgres, type EmbeddedServer } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";

const folders: string[] = [];
const held: EmbeddedServer[] = [];

afterAll(async () => {
  for (const server of held.reverse()) await server.release().catch(() => undefined);
  for (const folder of folders) fs.rmSync(path.dirname(folder), { recursive: true, force: true });
});

function dataFolder(): string {
  const folder = makeEphemeralDataDir("growbal-shared-");
  folders.push(folder);
  return folder;
}

async function start(dataDir: string): Promise<EmbeddedServer> {
  const server = await startEmbeddedPostgres({ dataDir, password: "shared-test-password" });
  held.push(server);
  return server;
}

describe("embedded PostgreSQL shared by several commands", () => {
  it("a second command joins the running server, and letting go never stops it under another user", async () => {
    const dataDir = dataFolder();
    const app = await start(dataDir);
    expect(app.adopted).toBe(false);

    // The admin CLI beside a running `npm start`.
    const cli = await start(dataDir);
    expect(cli.adopted).toBe(true);
    expect(cli.port).toBe(app.port);
    await runMigrations(cli.url);
    await runMigrations(cli.url); // a no-op the second time
    await cli.release();
    expect(await canQuery(app.url)).toBe(true);

    const check = postgres(app.url, { max: 1 });
    const tables = await check<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`;
    await check.end();
    expect(tables.map((t) => t.table_name)).toContain("auth_sessions");

    // The last one out stops it.
    await app.release();
    expect(fs.existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);
    expect(await canQuery(app.url)).toBe(false);
  });

  it("a server left by a killed start is adopted, and its new holder stops it when done", async () => {
    const dataDir = dataFolder();
    await start(dataDir);
    // The first holder dies without letting go: its holder entry now names a process that no longer exists.
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    const holders = `${dataDir}.holders`;
    for (const name of fs.readdirSync(holders)) fs.renameSync(path.join(holders, name), path.join(holders, `${dead}-gone`));

    const next = await start(dataDir);
    expect(next.adopted).toBe(true);
    expect(await canQuery(next.url)).toBe(true);
    await next.release();
    expect(fs.existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);
  });

  it("an ephemeral server is never shared: letting go stops it", async () => {
    const dataDir = dataFolder();
    const server = await startEmbeddedPostgres({ dataDir, password: "ephemeral-test-password", ephemeral: true });
    expect(await canQuery(server.url)).toBe(true);
    await server.release();
    expect(await canQuery(server.url)).toBe(false);
  });
});
