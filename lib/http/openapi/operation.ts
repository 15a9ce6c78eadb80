import type { z } from "zod";

/**
 * What a route handler says about itself for the OpenAPI description (/api/openapi.json). The route wrapper keeps it
 * on the handler with the same zod schemas it validates with, so the description cannot drift from the checks.
 */
export type OperationDoc = {
  summary: string;
  description?: string;
  /** The success answer: its status (default 200), what it is, and optionally its shape and an example of it. */
  response: {
    status?: number;
    description: string;
    schema?: z.ZodType;
    example?: unknown;
    /** Default application/json. */
    contentType?: string;
  };
  /** A request body that the body schema accepts (checked by the tests). */
  requestExample?: unknown;
  /** Outcomes beyond the ones every route of its kind has (those are derived from its auth level and schemas). */
  errors?: Partial<Record<number, string>>;
  /** Authenticated by something other than a session (the cron endpoint's shared secret). */
  security?: "cron_secret" | "metrics_secret";
  /** Not for clients: middleware's own hand-over route. Still described, marked `x-internal`. */
  internal?: boolean;
};

export type RouteAuth = "public" | "session" | "user" | "admin";

export type RouteSpec = {
  auth: RouteAuth;
  stepUp: boolean;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  doc?: OperationDoc;
};

const ROUTE_SPEC = Symbol.for("growbal.routeSpec");

export function withRouteSpec<F extends object>(handler: F, spec: RouteSpec): F {
  return Object.assign(handler, { [ROUTE_SPEC]: spec });
}

export function routeSpecOf(handler: unknown): RouteSpec | null {
  if (typeof handler !== "function") return null;
  return ((handler as unknown as Record<symbol, RouteSpec | undefined>)[ROUTE_SPEC] ?? null) as RouteSpec | null;
}
