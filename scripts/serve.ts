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
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import next from "next";
import { ConfigError, parseConfig } from "../lib/config";
import { trustForwardedHeaders } from "../lib/http/forwarded";
import { routeLabel } from "../lib/http/route-label";
import { noteForwardedHeaders, PROXY_WARNING_MESSAGE } from "../lib/http/proxy-warning";
import { runShutdownHooks } from "../lib/lifecycle/shutdown-hooks";
import { log } from "../lib/log/logger";
import { installLogRedaction } from "../lib/log/redact";
import { REQUEST_ID_HEADER, requestIdFor } from "../lib/log/request-id";
import { watchParent } from "../lib/process/parent-watch";

/**
 * The app's folder: the repository (this file in scripts/), or the standalone build, where this file is bundled
 * into .next/standalone/server.js beside the build output.
 */
const root = fs.existsSync(path.join(__dirname, ".next")) ? __dirname : path.resolve(__dirname, "..");
const dev = process.argv.includes("--dev");

/**
 * A standalone build has no next.config.ts: the configuration it was built with is in required-server-files.json
 * and handed to Next.js the way its own standalone server does.
 */
function applyBuiltConfig(): void {
  const manifest = path.join(root, ".next", "required-server-files.json");
  if (dev || !fs.existsSync(manifest)) return;
  const { config } = JSON.parse(fs.readFileSync(manifest, "utf8")) as { config: unknown };
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG ??= JSON.stringify(config);
}

/** The path without its query (queries carry codes: the SSO callback's) and with ids as `:id` (session ids among them). */
function pathOf(url: string | undefined): string {
  return routeLabel((url ?? "/").split("?")[0] ?? "/");
}

function loadConfig() {
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      log().fatal({ problems: error.problems }, error.message);
      process.exit(1);
    }
    throw error;
  }
}

async function main() {
  installLogRedaction();
  // Relative paths (drizzle/, the bcrypt worker's node_modules) are the app folder's, wherever this was started from.
  process.chdir(root);
  const config = loadConfig();
  applyBuiltConfig();
  const app = next({ dev, dir: root, port: config.PORT });
  const handle = app.getRequestHandler();
  await app.prepare();

  let stopping = false;
  let inFlight = 0;
  let onDrained: (() => void) | undefined;
  const server = http.createServer((request, response) => {
    inFlight += 1;
    const started = performance.now();
    // A trusted proxy's id is kept (so its logs and ours agree); otherwise whatever the client sent is replaced.
    const reqId = requestIdFor(request.headers[REQUEST_ID_HEADER] as string | undefined, config.TRUSTED_PROXY_HOPS > 0);
    request.headers[REQUEST_ID_HEADER] = reqId;
    response.setHeader(REQUEST_ID_HEADER, reqId);
    response.once("close", () => {
      inFlight -= 1;
      if (inFlight === 0) onDrained?.();
      // One line per request outcome; `aborted` when the client went away before the answer was complete.
      log().info(
        {
          reqId,
          method: request.method,
          path: pathOf(request.url),
          status: response.statusCode,
          ms: Math.round(performance.now() - started),
          ...(response.writableFinished ? {} : { aborted: true }),
        },
        "request",
      );
    });
    // A request that arrives on a kept-alive connection while draining is served, and that connection then ends.
    if (stopping) response.setHeader("connection", "close");
    if (noteForwardedHeaders(request.headers, config.TRUSTED_PROXY_HOPS)) log().warn(PROXY_WARNING_MESSAGE);
    trustForwardedHeaders(request.headers, request.socket.remoteAddress, config.TRUSTED_PROXY_HOPS);
    void handle(request, response);
  });
  server.on("error", (error: NodeJS.ErrnoException) => {
    log().fatal(
      error.code === "EADDRINUSE"
        ? `Port ${config.PORT} is already in use: is another instance running? Set PORT to use another one.`
        : `server error: ${error.message}`,
    );
    process.exit(1);
  });
  server.listen(config.PORT, () => log().info({ port: config.PORT, dev }, `serving on port ${config.PORT}${dev ? " (development)" : ""}`));

  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log().info({ inFlight }, `${why}; no new connections, finishing ${inFlight} request(s) in flight`);
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
    if (!drained) log().error({ inFlight }, `${inFlight} request(s) were cut off after SHUTDOWN_GRACE_MS=${config.SHUTDOWN_GRACE_MS}`);
    if (failed.length > 0) log().error({ failed }, `did not stop cleanly: ${failed.join(", ")}`);
    log().info("stopped");
    log().flush();
    process.exit(drained && failed.length === 0 ? 0 : 1);
  };
  process.on("SIGTERM", () => void stop("SIGTERM received"));
  process.on("SIGINT", () => void stop("SIGINT received"));
  watchParent(() => void stop("the launcher is gone"));
}

main().catch((error: unknown) => {
  log().fatal(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
