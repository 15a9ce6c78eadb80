import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

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
});
