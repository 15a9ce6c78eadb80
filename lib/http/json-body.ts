import type { z } from "zod";
import { jsonError } from "./errors";

/** The largest JSON body any API accepts. next.config.ts buffers a little more, so this check is what answers. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

/**
 * Reads at most `limit` bytes of a body: a declared Content-Length over the limit is refused before reading, and
 * a body that streams past it is cut off, so an oversized request never sits whole in memory. Null when too big.
 */
async function readCapped(request: Request, limit: number): Promise<string | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > limit) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** Parses a JSON request body with a zod schema; on failure, the 4xx response to send (never the raw error). */
export async function parseJsonBody<T extends z.ZodType>(
  request: Request,
  schema: T,
): Promise<{ ok: true; data: z.output<T> } | { ok: false; response: Response }> {
  let body: unknown;
  try {
    const text = await readCapped(request, MAX_JSON_BODY_BYTES);
    if (text === null) return { ok: false, response: jsonError(413, "invalid_request", "The request body is too large.") };
    // Only real JSON requests: a cross-site <form enctype="text/plain"> cannot fake this header.
    if (text.trim() !== "" && !(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
      return { ok: false, response: jsonError(415, "invalid_request", "Send the body as application/json.") };
    }
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
