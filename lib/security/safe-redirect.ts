/**
 * Returns `next` when it is a same-origin relative path (e.g. "/dashboard?tab=1"), otherwise the fallback.
 * Refuses absolute URLs, protocol-relative ("//evil.example"), backslash tricks ("/\\evil.example") and
 * anything whose resolved origin is not our own.
 */
export function safeNextPath(next: string | null | undefined, fallback = "/dashboard"): string {
  if (!next || next.length > 2048) return fallback;
  if (!next.startsWith("/") || next.startsWith("//") || next.includes("\\")) return fallback;
  // Control characters (tabs, newlines) are stripped by URL parsers and can turn "/\t/evil" into "//evil".
  if (/[\u0000-\u001f\u007f]/.test(next)) return fallback;
  const base = "http://growbal.invalid";
  let resolved: URL;
  try {
    resolved = new URL(next, base);
  } catch {
    return fallback;
  }
  if (resolved.origin !== base) return fallback;
  // Dot segments can collapse into "//host" ("/.//evil.example"): judge the path as it will be used.
  const path = resolved.pathname + resolved.search + resolved.hash;
  if (path.startsWith("//") || path.includes("\\")) return fallback;
  // Never bounce back into the sign-in/out flow itself.
  if (resolved.pathname === "/login" || resolved.pathname === "/logout") return fallback;
  return path;
}
