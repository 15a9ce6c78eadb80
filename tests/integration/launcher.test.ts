import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_USERS, findUserByUsername, seedDemoUsers } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";

const root = path.resolve(__dirname, "../..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

function launch(args: string[], env: Record<string, string>) {
  return spawnSync(tsx, ["scripts/with-db.ts", ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("scripts/with-db.ts", () => {
  it("stops start-up on a bad value with a message naming the variable", () => {
    const result = launch(["--no-seed", "--", "node", "-e", "console.log('ran')"], { TRUSTED_PROXY_HOPS: "lots" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("TRUSTED_PROXY_HOPS must be a whole number");
    expect(result.stdout).not.toContain("ran");
  });

  it("uses DATABASE_URL as given, starting nothing embedded, after applying migrations", () => {
    const url = process.env.DATABASE_URL!;
    const result = launch(["--no-seed", "--", "node", "-e", "console.log('url=' + process.env.DATABASE_URL)"], { DATABASE_URL: url });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`url=${url}`);
    expect(result.stdout).not.toContain("embedded");
  });

  it("passes the command's exit code through", () => {
    const result = launch(["--no-seed", "--", "node", "-e", "process.exit(3)"], { DATABASE_URL: process.env.DATABASE_URL! });
    expect(result.status).toBe(3);
  });

  const secrets = { SESSION_SECRET: "x".repeat(40), CRON_SECRET: "y".repeat(24), MFA_ENCRYPTION_KEY: "z".repeat(40) };

  it("never creates the demo accounts on an external database (the README's production recipe)", async () => {
    const result = launch(["--", "node", "-e", "console.log('ran')"], {
      DATABASE_URL: process.env.DATABASE_URL!,
      APP_URL: "https://growbal.example",
      ...secrets,
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain("demo");
    for (const demo of DEMO_USERS) expect(await findUserByUsername(getDb(), demo.username)).toBeUndefined();
  });

  it("refuses SEED_DEMO_USERS=true on a public origin", () => {
    const result = launch(["--", "node", "-e", "console.log('ran')"], {
      DATABASE_URL: process.env.DATABASE_URL!,
      APP_URL: "https://growbal.example",
      SEED_DEMO_USERS: "true",
      ...secrets,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("SEED_DEMO_USERS is only allowed when APP_URL is a localhost address");
    expect(result.stdout).not.toContain("ran");
  });

  it("requires APP_URL to serve from an external database", () => {
    const result = launch(["--", "node", "--import", "tsx", "scripts/serve.ts"], {
      DATABASE_URL: process.env.DATABASE_URL!,
      APP_URL: "",
      ...secrets,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("APP_URL is required with an external DATABASE_URL");
  });

  it("refuses to start on a public origin while a demo account keeps its published password", async () => {
    expect(await seedDemoUsers(getDb())).toEqual(["demo", "admin"]);
    const result = launch(["--", "node", "-e", "console.log('ran')"], {
      DATABASE_URL: process.env.DATABASE_URL!,
      APP_URL: "https://growbal.example",
      ...secrets,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      "Refusing to start: https://growbal.example is a public origin, but the demo accounts demo, admin still sign in",
    );
    expect(result.stdout).not.toContain("ran");
  });
});
