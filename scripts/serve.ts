/**
 * The HTTP server behind `npm start`: Next.js handling requests from a node:http server we own.
 *
 * Why not `next start`: only the socket knows who is connecting, and `next start` lets a client choose its own
 * X-Forwarded-For whenever no proxy sits in front. Here every request's proxy headers are made trustworthy first
 * (see lib/http/forwarded.ts, TRUSTED_PROXY_HOPS).
 *
 * Stopping (SIGTERM, SIGINT, or the launcher that started it dying): stop accepting connections, let requests and
 * streamed replies in flight finish (at most SHUTDOWN_GRACE_MS, default 10 s), stop the cleanup interval, close
 * the database pool, exit. The launcher stops the embedded database only after this process has exited.
 *
 * Usage: node --import tsx scripts/serve.ts [--dev]   (PORT from the environment, default 3000)
 */
import http from "node:http";
import path from "node:path";
import next from "next";
import { ConfigError, parseConfig } from "../lib/config";
import { trustForwardedHeaders } from "../lib/http/forwarded";
import { noteForwardedHeaders, PROXY_WARNING_MESSAGE } from "../lib/http/proxy-warning";
import { runShutdownHooks } from "../lib/lifecycle/shutdown-hooks";
import { installLogRedaction } from "../lib/log/redact";
import { watchParent } from "../lib/process/parent-watch";

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
  installLogRedaction();
  const config = loadConfig();
  const app = next({ dev, dir: root, port: config.PORT });
  const handle = app.getRequestHandler();
  await app.prepare();

  let stopping = false;
  let inFlight = 0;
  let onDrained: (() => void) | undefined;
  const server = http.createServer((request, response) => {
    inFlight += 1;
    response.once("close", () => {
      inFlight -= 1;
      if (inFlight === 0) onDrained?.();
    });
    // A request that arrives on a kept-alive connection while draining is served, and that connection then ends.
    if (stopping) response.setHeader("connection", "close");
    if (noteForwardedHeaders(request.headers, config.TRUSTED_PROXY_HOPS)) console.warn(`growbal: warning: ${PROXY_WARNING_MESSAGE}`);
    trustForwardedHeaders(request.headers, request.socket.remoteAddress, config.TRUSTED_PROXY_HOPS);
    void handle(request, response);
  });
  server.on("error", (error: NodeJS.ErrnoException) => {
    console.error(
      error.code === "EADDRINUSE"
        ? `Port ${config.PORT} is already in use: is another instance running? Set PORT to use another one.`
        : `server error: ${error.message}`,
    );
    process.exit(1);
  });
  server.listen(config.PORT, () => console.log(`growbal: serving on port ${config.PORT}${dev ? " (development)" : ""}`));

  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`growbal: ${why}; no new connections, finishing ${inFlight} request(s) in flight…`);
    server.close();
    server.closeIdleConnections();
    const drained =
      inFlight === 0 ||
      (await new Promise<boolean>((resolve) => {
        onDrained = () => resolve(true);
        setTimeout(() => resolve(false), config.SHUTDOWN_GRACE_MS).unref();
      }));
    server.closeAllConnections();
    const failed = await runShutdownHooks();
    if (!drained) console.error(`growbal: ${inFlight} request(s) were cut off after SHUTDOWN_GRACE_MS=${config.SHUTDOWN_GRACE_MS}.`);
    if (failed.length > 0) console.error(`growbal: did not stop cleanly: ${failed.join(", ")}.`);
    console.log("growbal: stopped.");
    process.exit(drained && failed.length === 0 ? 0 : 1);
  };
  process.on("SIGTERM", () => void stop("SIGTERM received"));
  process.on("SIGINT", () => void stop("SIGINT received"));
  watchParent(() => void stop("the launcher is gone"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
