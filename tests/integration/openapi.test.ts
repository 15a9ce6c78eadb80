import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { API_ROUTES } from "@/app/api/openapi.json/api-routes";
import { GET as openApiJson } from "@/app/api/openapi.json/route";
import { jsonError } from "@/lib/http/errors";
import { apiErrorBodySchema, HTTP_METHODS, operationsOf } from "@/lib/http/openapi/document";
import { routeSpecOf } from "@/lib/http/openapi/operation";

type Document = { openapi: string; paths: Record<string, Record<string, { security?: unknown[]; requestBody?: unknown }>> };

const API_DIR = join(process.cwd(), "app", "api");

/** Every route.ts under app/api, as the path Next.js serves it at. */
function routeFiles(dir = API_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    if (entry.name !== "route.ts") return [];
    const folder = relative(join(process.cwd(), "app"), dir).split(sep).join("/");
    return [`/${folder.replace(/\[(\w+)\]/g, "{$1}")}`];
  });
}

async function fetchDocument(): Promise<Document> {
  const response = await openApiJson(new Request("http://localhost:3000/api/openapi.json"));
  expect(response.status).toBe(200);
  return (await response.json()) as Document;
}

const routes = [...API_ROUTES, { path: "/api/openapi.json", module: { GET: openApiJson } }];

describe("the OpenAPI description", () => {
  it("lists every route handler, with every method it exports", async () => {
    const document = await fetchDocument();
    expect(routes.map((r) => r.path).sort()).toEqual(routeFiles().sort());
    for (const { path, module } of routes) {
      const exported = HTTP_METHODS.filter((method) => typeof module[method] === "function");
      expect(exported.length, path).toBeGreaterThan(0);
      for (const method of exported) {
        expect(routeSpecOf(module[method])?.doc, `${method} ${path} has no doc`).toBeDefined();
        expect(document.paths[path]?.[method.toLowerCase()], `${method} ${path} is not described`).toBeDefined();
      }
    }
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(await fetchDocument());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    // The validator does refuse a broken one (a parameter in a place OpenAPI does not have).
    const broken = structuredClone(await fetchDocument()) as Document & { paths: Record<string, Record<string, Record<string, unknown>>> };
    const parameters = broken.paths["/api/session/alerts"]!.get!.parameters as { in: string }[];
    parameters[0]!.in = "body";
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it("says who may call what: tokens never administer, public routes need nothing", async () => {
    const { paths } = await fetchDocument();
    expect(paths["/api/session/alerts"]?.get?.security).toEqual([{ sessionCookie: [] }]);
    expect(paths["/api/session/policies"]?.get?.security).toEqual([{ sessionCookie: [] }, { bearerToken: [] }]);
    expect(paths["/api/session/token"]?.post?.security).toEqual([]);
    expect(paths["/api/cron/cleanup"]?.get?.security).toEqual([{ cronSecret: [] }]);
  });

  it("has examples that the routes' own schemas accept, and an error shape that matches the real errors", async () => {
    let examples = 0;
    for (const { path, method, spec } of operationsOf(routes)) {
      const doc = spec.doc!;
      if (spec.body) {
        expect(doc.requestExample, `${method} ${path} needs a request example`).toBeDefined();
        const parsed = spec.body.safeParse(doc.requestExample);
        expect(parsed.success, `${method} ${path}: ${parsed.error?.message}`).toBe(true);
        examples++;
      }
      if (doc.response.example !== undefined && doc.response.schema) {
        const parsed = doc.response.schema.safeParse(doc.response.example);
        expect(parsed.success, `${method} ${path} response: ${parsed.error?.message}`).toBe(true);
        examples++;
      }
    }
    expect(examples).toBeGreaterThan(5);
    const ended = await jsonError(401, "session_ended", "Your session ended.", undefined, "idle_timeout").json();
    expect(apiErrorBodySchema.safeParse(ended).success).toBe(true);
    expect(apiErrorBodySchema.safeParse({ error: { code: "no_such_code", message: "x" } }).success).toBe(false);
  });
});
