import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { createPool } from "@/lib/db/client";
import { route } from "@/lib/http/route";

const post = (body: string, headers: Record<string, string> = { "content-type": "application/json" }) =>
  new Request("http://localhost/api/thing", { method: "POST", headers, body });
const params = (values: Record<string, string>) => ({ params: Promise.resolve(values) });

// A pool aimed at a port nothing listens on: the database is "down".
const down = createPool("postgres://nobody@127.0.0.1:1/none", 1);
afterAll(() => down.sql.end({ timeout: 1 }));

describe("route()", () => {
  const echo = route(
    {
      auth: "public",
      params: z.object({ id: z.uuid() }),
      body: z.object({ name: z.string().max(5) }).strict(),
      notFound: "No such thing.",
    },
    async ({ params, body }) => ({ id: params.id, name: body.name }),
  );
  const id = "6f1d1c56-8a7e-4d5b-9a53-6c1a2f0e4b11";

  it("hands the handler parsed params and body, and answers JSON with no-store", async () => {
    const response = await echo(post('{"name":"ada"}'), params({ id }));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ id, name: "ada" });
  });

  it("answers a malformed path parameter with 404 and a bad body with 400/415, in the error shape", async () => {
    const missing = await echo(post('{"name":"ada"}'), params({ id: "not-a-uuid" }));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: "not_found", message: "No such thing." } });
    const bad = await echo(post('{"name":"too long","extra":1}'), params({ id }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("invalid_request");
    expect((await echo(post('{"name":"ada"}', { "content-type": "text/plain" }), params({ id }))).status).toBe(415);
  });

  it("turns an AppError into its status and shape, and anything else into a generic 500", async () => {
    const conflict = route({ auth: "public" }, async () => {
      throw AppError.conflict("Already done.");
    });
    const response = await conflict(post("{}"));
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error: { code: "conflict", message: "Already done." } });

    const bug = route({ auth: "public" }, async () => {
      throw new Error("select * from auth_sessions where token_hash = 'secret'");
    });
    const failed = await bug(post("{}"));
    expect(failed.status).toBe(500);
    const text = await failed.text();
    expect(JSON.parse(text)).toEqual({ error: { code: "server_error", message: "Something went wrong on our side. Please try again." } });
    expect(text).not.toContain("select");
  });

  it("answers 503 unavailable with Retry-After when the database cannot be reached", async () => {
    const query = route({ auth: "public" }, async () => down.sql`select 1`);
    const response = await query(post("{}"));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect((await response.json()).error.code).toBe("unavailable");
  });
});
