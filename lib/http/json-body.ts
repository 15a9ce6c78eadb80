import type { z } from "zod";
import { jsonError } from "./errors";

/** Parses a JSON request body with a zod schema; on failure, the 400 response to send (never the raw error). */
export async function parseJsonBody<T extends z.ZodType>(
  request: Request,
  schema: T,
): Promise<{ ok: true; data: z.output<T> } | { ok: false; response: Response }> {
  let body: unknown;
  try {
    const text = await request.text();
    // Only real JSON requests: a cross-site <form enctype="text/plain"> cannot fake this header.
    if (text.trim() !== "" && !(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
      return { ok: false, response: jsonError(415, "invalid_request", "Send the body as application/json.") };
    }
    if (text.length > 64 * 1024) return { ok: false, response: jsonError(413, "invalid_request", "The request body is too large.") };
    body = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    return { ok: false, response: jsonError(400, "invalid_request", "The request body must be JSON.") };
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message));
    return { ok: false, response: jsonError(400, "invalid_request", issues.join("; ")) };
  }
  return { ok: true, data: parsed.data };
}
