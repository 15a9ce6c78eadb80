import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { MAX_JSON_BODY_BYTES, readJsonBody } from "@/lib/http/json-body";

/** The status a body gets: 200 when it parses, else the AppError's. */
async function statusOf(request: Request): Promise<number> {
  try {
    await readJsonBody(request, schema);
    return 200;
  } catch (error) {
    if (error instanceof AppError) return error.status;
    throw error;
  }
}

const schema = z.object({ notes: z.string().max(100).optional() });
const json = { "content-type": "application/json" };

/** A body that streams `total` bytes in 16 KB chunks, counting how many were pulled from it. */
function streamingRequest(total: number) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) return controller.close();
      const chunk = new Uint8Array(Math.min(16 * 1024, total - pulled)).fill(0x20);
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  const request = new Request("http://localhost/api", { method: "POST", headers: json, body, duplex: "half" } as RequestInit);
  return { request, pulled: () => pulled };
}

describe("parseJsonBody", () => {
  it("parses a valid body and reports schema problems as 400", async () => {
    const ok = await readJsonBody(new Request("http://localhost/api", { method: "POST", headers: json, body: '{"notes":"hi"}' }), schema);
    expect(ok).toEqual({ notes: "hi" });
    await expect(
      readJsonBody(new Request("http://localhost/api", { method: "POST", headers: json, body: '{"notes":5}' }), schema),
    ).rejects.toMatchObject({
      status: 400,
      code: "invalid_request",
      message: "notes: Invalid input: expected string, received number",
    });
    expect(await statusOf(new Request("http://localhost/api", { method: "POST", headers: json, body: "{not json" }))).toBe(400);
  });

  it("refuses a declared oversize body before reading it", async () => {
    const { request, pulled } = streamingRequest(30 * 1024 * 1024);
    request.headers.set("content-length", String(30 * 1024 * 1024));
    expect(await statusOf(request)).toBe(413);
    expect(pulled()).toBeLessThanOrEqual(64 * 1024);
  });

  it("stops reading a body that streams past the cap", async () => {
    const { request, pulled } = streamingRequest(30 * 1024 * 1024);
    expect(await statusOf(request)).toBe(413);
    // The cap plus what the stream had queued, never the whole 30 MB.
    expect(pulled()).toBeLessThan(MAX_JSON_BODY_BYTES + 3 * 16 * 1024);
  });

  it("refuses a non-JSON content type", async () => {
    expect(
      await statusOf(new Request("http://localhost/api", { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" })),
    ).toBe(415);
  });
});
