import type { z } from "zod";
import { AppError } from "@/lib/app-error";

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

/** Reads a JSON request body and validates it with a zod schema; a bad one throws an AppError (400, 413 or 415). */
export async function readJsonBody<T extends z.ZodType>(request: Request, schema: T): Promise<z.output<T>> {
  const text = await readCapped(request, MAX_JSON_BODY_BYTES);
  if (text === null) throw AppError.invalid("The request body is too large.", 413);
  // Only real JSON requests: a cross-site <form enctype="text/plain"> cannot fake this header.
  if (text.trim() !== "" && !(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
    throw AppError.invalid("Send the body as application/json.", 415);
  }
  let body: unknown;
  try {
    body = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw AppError.invalid("The request body must be JSON.");
  }
  return parseOrThrow(schema, body);
}

/** Validates input with a zod schema; problems become one 400 AppError naming each field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw AppError.invalid(parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; "));
}
