/**
 * The HTTP server behind `npm start`: Next.js handling requests from a node:http server we own.
 *
 * Why not `next start`: only the socket knows who is connecting, and `next start` lets a client choose its own
 * X-Forwarded-For whenever no proxy sits in front. Here every request's proxy headers are made trustworthy first
 * (see lib/http/forwarded.ts, TRUSTED_PROXY_HOPS). On SIGTERM/SIGINT it stops accepting, lets requests in flight
 * finish (SHUTDOWN_GRACE_MS, default 10 s), then exits.
 *
 * Usage: tsx scripts/serve.ts [--dev]   (PORT from the environment, default 3000)
 */
import http from "node:http";
import path from "node:path";
import next from "next";
import { ConfigError, parseConfig } from "../lib/config";
import { trustForwardedHeaders } from "../lib/http/forwarded";

const root = path.resolve(__dirname, "..");
const dev = process.argv.includes("--dev");

function loadConfig() {
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

async function main() {
  const config = loadConfig();
  const graceMs = Number(process.env.SHUTDOWN_GRACE_MS ?? 10_000);
  const app = next({ dev, dir: root, port: config.PORT });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = http.createServer((request, response) => {
    trustForwardedHeaders(request.headers, request.socket.remoteAddress, config.TRUSTED_PROXY_HOPS);
    void handle(request, response);
  });
  server.on("error", (error: NodeJS.ErrnoException) => {
    console.error(
      error.code === "EADDRINUSE"
        ? `Port ${config.PORT} is already in use: is another instance running?`
        : `server error: ${error.message}`,
    );
    process.exit(1);
  });
  server.listen(config.PORT, () => console.log(`growbal: serving on port ${config.PORT}${dev ? " (development)" : ""}`));

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    // Requests still running after the grace period are cut off.
    setTimeout(() => process.exit(0), Number.isFinite(graceMs) ? graceMs : 10_000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
