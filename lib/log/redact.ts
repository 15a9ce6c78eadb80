import { inspect } from "node:util";

/**
 * The last line of defence for the server log: whatever reaches the console — our own lines, and errors that
 * escape to Next.js, which prints them whole — loses query text and parameters (drizzle's "Failed query: … params:
 * …" carries session ids, token hashes, password hashes and user text) and sealed session cookies.
 */
const FAILED_QUERY = /Failed query:[\s\S]*?(?=\n\s+at |\n\s*\[cause\]|$)/g;
const PARAMS = /\bparams: [^\n]*/g;
const SEALED_COOKIE = /Fe26\.2\*[^\s;"',}\]]+/g;

export function redactLogText(text: string): string {
  return text
    .replace(FAILED_QUERY, "Failed query: [query and parameters withheld]")
    .replace(PARAMS, "params: [withheld]")
    .replace(SEALED_COOKIE, "[sealed cookie withheld]");
}

function redactArgument(value: unknown): unknown {
  if (typeof value === "string") return redactLogText(value);
  if (value instanceof Error || (typeof value === "object" && value !== null)) return redactLogText(inspect(value, { depth: 4 }));
  return value;
}

const INSTALLED = Symbol.for("growbal.logRedaction");

/** Wraps console.log/info/warn/error once per process. */
export function installLogRedaction(): void {
  const store = globalThis as unknown as { [INSTALLED]?: boolean };
  if (store[INSTALLED]) return;
  store[INSTALLED] = true;
  for (const level of ["log", "info", "warn", "error"] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => original(...args.map(redactArgument));
  }
}
