import { z } from "zod";
import { apiErrorCodes } from "@/lib/http/errors";
import { endReasons } from "@/lib/policies/types";
import { routeSpecOf, type RouteSpec } from "./operation";

/**
 * Builds the OpenAPI 3.1 description of the JSON API from the route handlers themselves: each handler carries its
 * auth level, its zod schemas (params, query, body) and its doc (lib/http/openapi/operation.ts). Schemas become
 * JSON Schema (2020-12, OpenAPI 3.1's dialect) through zod's own converter; the error answers every route can give
 * are derived from its auth level and schemas, so they match what lib/http/route.ts does.
 */

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;
type HttpMethod = (typeof HTTP_METHODS)[number];

export type ApiRouteModule = { path: string; module: Partial<Record<string, unknown>> };

export const apiErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(apiErrorCodes),
    message: z.string().describe("A sentence for a person; never a stack trace or SQL."),
    reason: z.enum(endReasons).optional().describe("With `session_ended`: why the session ended."),
  }),
});

type JsonSchema = Record<string, unknown>;

export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}

/** The properties (and which are required) of an object schema, intersections included (query strings, params). */
function propertiesOf(schema: JsonSchema): { properties: Record<string, JsonSchema>; required: Set<string> } {
  const properties: Record<string, JsonSchema> = { ...((schema.properties as Record<string, JsonSchema> | undefined) ?? {}) };
  const required = new Set<string>((schema.required as string[] | undefined) ?? []);
  for (const part of (schema.allOf as JsonSchema[] | undefined) ?? []) {
    const inner = propertiesOf(part);
    Object.assign(properties, inner.properties);
    for (const name of inner.required) required.add(name);
  }
  return { properties, required };
}

function parametersOf(spec: RouteSpec): JsonSchema[] {
  const parameters: JsonSchema[] = [];
  for (const [where, schema] of [
    ["path", spec.params],
    ["query", spec.query],
  ] as const) {
    if (!schema) continue;
    const { properties, required } = propertiesOf(jsonSchemaOf(schema, "input"));
    for (const [name, property] of Object.entries(properties)) {
      const { description, ...rest } = property;
      parameters.push({
        name,
        in: where,
        required: where === "path" || required.has(name),
        schema: rest,
        ...(typeof description === "string" ? { description } : {}),
      });
    }
  }
  return parameters;
}

const error = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

/** The answers a route of this kind can give besides its success, as lib/http/route.ts and the DAL produce them. */
function errorResponsesOf(spec: RouteSpec): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  if (spec.query || spec.body)
    responses["400"] = error("`invalid_request`: the query or body is malformed; the message names the problem.");
  if (spec.auth !== "public") {
    responses["401"] = error(
      "`unauthorized` (no session or token) or `session_ended` with the `reason` a policy, a revocation or an expiry ended it.",
    );
    const forbidden = [
      "`mfa_required`: the session still owes its second factor",
      spec.auth === "admin" ? "`forbidden`: not an administrator, or an API token (administration is for browser sessions)" : null,
      spec.stepUp ? "`reauth_required`: needs a sign-in within the last 15 minutes (never an API token)" : null,
      spec.auth !== "admin" ? "`insufficient_scope`: a read-only personal access token asked to change something" : null,
    ].filter(Boolean);
    responses["403"] = error(`${forbidden.join("; ")}.`);
  }
  if (spec.params) responses["404"] = error("`not_found`: no such thing (a malformed id is not found either).");
  if (spec.body) {
    responses["413"] = error("`invalid_request`: the body is too large.");
    responses["415"] = error("`invalid_request`: the body is not `application/json`.");
  }
  for (const [status, description] of Object.entries(spec.doc?.errors ?? {})) responses[status] = error(description!);
  responses["500"] = error("`server_error`: something failed on the server (logged; never detailed to the client).");
  responses["503"] = {
    ...error("`unavailable`: the database cannot be reached; try again after `Retry-After` seconds."),
    headers: { "Retry-After": { schema: { type: "integer" }, description: "Seconds to wait." } },
  };
  return responses;
}

function securityOf(spec: RouteSpec): JsonSchema[] | undefined {
  if (spec.doc?.security === "cron_secret") return [{ cronSecret: [] }];
  if (spec.doc?.security === "metrics_secret") return [{ metricsSecret: [] }];
  if (spec.auth === "public") return [];
  if (spec.auth === "admin") return [{ sessionCookie: [] }];
  return [{ sessionCookie: [] }, { bearerToken: [] }];
}

function operationOf(path: string, method: HttpMethod, spec: RouteSpec): JsonSchema {
  const doc = spec.doc!;
  const success = doc.response;
  const contentType = success.contentType ?? "application/json";
  const successSchema = success.schema ? jsonSchemaOf(success.schema, "output") : undefined;
  const parameters = parametersOf(spec);
  return {
    operationId: `${method.toLowerCase()}${path
      .replace(/^\/api/, "")
      .split(/[/.{}-]/)
      .filter(Boolean)
      .map((part) => part[0]!.toUpperCase() + part.slice(1))
      .join("")}`,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: [path.split("/")[2] ?? "api"],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(spec.body
      ? {
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: jsonSchemaOf(spec.body, "input"),
                ...(doc.requestExample !== undefined ? { example: doc.requestExample } : {}),
              },
            },
          },
        }
      : {}),
    responses: {
      [String(success.status ?? 200)]: {
        description: success.description,
        content: {
          [contentType]: {
            ...(successSchema ? { schema: successSchema } : {}),
            ...(success.example !== undefined ? { example: success.example } : {}),
          },
        },
      },
      ...errorResponsesOf(spec),
    },
    security: securityOf(spec),
    ...(doc.internal ? { "x-internal": true } : {}),
  };
}

/** Every documented operation of these route modules, with its spec (for the description and for its tests). */
export function operationsOf(routes: ApiRouteModule[]): { path: string; method: HttpMethod; spec: RouteSpec }[] {
  const operations: { path: string; method: HttpMethod; spec: RouteSpec }[] = [];
  for (const { path, module } of routes) {
    for (const method of HTTP_METHODS) {
      const spec = routeSpecOf(module[method]);
      if (spec?.doc) operations.push({ path, method, spec });
    }
  }
  return operations;
}

export function openApiDocument(routes: ApiRouteModule[], info: { version: string; serverUrl: string; cookieName: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const { path, method, spec } of operationsOf(routes)) {
    (paths[path] ??= {})[method.toLowerCase()] = operationOf(path, method, spec);
  }
  return {
    openapi: "3.1.1",
    info: {
      title: "Growbal Intelligence API",
      version: info.version,
      description:
        "JSON API of Growbal Intelligence. Browsers use the session cookie; scripts use `Authorization: Bearer <token>` " +
        "with a token from `POST /api/session/token` or a personal access token made on /account. Every error has the " +
        "shape `{ error: { code, message, reason? } }`.",
    },
    servers: [{ url: info.serverUrl }],
    paths,
    components: {
      schemas: { Error: jsonSchemaOf(apiErrorBodySchema, "output") },
      securitySchemes: {
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: info.cookieName,
          description:
            "The browser's sealed session cookie (HttpOnly). Requests that change something must come from this site (Origin / Sec-Fetch-Site).",
        },
        bearerToken: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "gbt_<session id>.<secret>",
          description: "An API token (1 hour, `api` policy) or a personal access token (its own expiry, a read-only or read-write scope).",
        },
        cronSecret: { type: "http", scheme: "bearer", description: "The deployment's CRON_SECRET." },
        metricsSecret: { type: "http", scheme: "bearer", description: "The deployment's METRICS_SECRET." },
      },
    },
  };
}
