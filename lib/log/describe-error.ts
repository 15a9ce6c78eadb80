/**
 * A description of an error that is safe to log or store: its kind and database error code, never its message
 * (drizzle puts the SQL and its parameters — session ids, token hashes, password hashes, user text — there).
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return "unknown error";
  const cause = (error as { cause?: unknown }).cause;
  const code = (cause as { code?: unknown } | undefined)?.code ?? (error as { code?: unknown }).code;
  const causeName = cause instanceof Error ? cause.name : null;
  return [error.name, causeName && causeName !== error.name ? causeName : null, typeof code === "string" ? `code ${code}` : null]
    .filter(Boolean)
    .join(" / ");
}
