import { createRequire } from "node:module";
import path from "node:path";
import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";
import { parseConfig } from "@/lib/config";

/**
 * The server log: one JSON object per line (pino), for a log pipeline to index. Development gets pino-pretty's
 * readable lines instead, when it is installed (it is a dev dependency). LOG_LEVEL sets the threshold.
 *
 * What never reaches it: session ids (events carry the keyed `sessionRef`), tokens, token hashes, passwords, query
 * text. Callers log kinds and ids, not values; the `redact` paths below are a second line for fields whose name
 * says they are secret.
 */

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
export type { Logger };

export const REDACTED_FIELDS = [
  "password",
  "token",
  "tokenHash",
  "secret",
  "cookie",
  "authorization",
  "*.password",
  "*.token",
  "*.tokenHash",
  "*.secret",
  "*.cookie",
  "*.authorization",
];

export function loggerOptions(level: LogLevel): LoggerOptions {
  return {
    level,
    base: { service: "growbal", pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names, not numbers: "level":"error" is what people search for.
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_FIELDS, censor: "[withheld]" },
  };
}

/** A logger writing to `destination` (tests pass a memory stream). */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}

function prettyStream(): DestinationStream | undefined {
  try {
    // Resolved at run time from the project (never bundled), so a production install without dev dependencies gets JSON.
    const pretty = createRequire(path.join(process.cwd(), "package.json"))("pino-pretty") as (options: object) => DestinationStream;
    return pretty({ colorize: true, translateTime: "HH:MM:ss.l", ignore: "service,pid,hostname" });
  } catch {
    return undefined;
  }
}

function levelFromEnvironment(): LogLevel {
  try {
    return parseConfig(process.env).LOG_LEVEL;
  } catch {
    return "info"; // an invalid configuration is reported (through this logger) and stops the server
  }
}

const KEY = Symbol.for("growbal.logger");

/** The process logger, created on first use (one per process, shared by every bundle Next.js loads it into). */
export function log(): Logger {
  const store = globalThis as unknown as { [KEY]?: Logger };
  if (!store[KEY]) {
    const level = levelFromEnvironment();
    const pretty = process.env.NODE_ENV === "development" ? prettyStream() : undefined;
    store[KEY] = createLogger(level, pretty);
  }
  return store[KEY];
}
