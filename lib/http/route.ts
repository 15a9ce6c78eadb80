import "server-only";
import { NextResponse } from "next/server";
import type { z } from "zod";
import { AppError } from "@/lib/app-error";
import { getDb, type Database } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import type { AuthSession } from "@/lib/db/schema";
import type { RequestFacts, SessionPolicy } from "@/lib/policies/types";
import { assertRecentAuthentication, requireApiSession, type CurrentSession, type CurrentUser } from "@/lib/sessions/dal";
import { requestTime } from "@/lib/clock";
import { getConfig } from "@/lib/config";
import { requestFactsFrom } from "@/lib/sessions/facts";
import { describeError } from "@/lib/log/describe-error";
import { log } from "@/lib/log/logger";
import { REQUEST_ID_HEADER } from "@/lib/log/request-id";
import { jsonError } from "./errors";
import { parseOrThrow, readJsonBody } from "./json-body";
import { withRouteSpec, type OperationDoc, type RouteAuth } from "./openapi/operation";
import { metrics } from "@/lib/metrics/registry";
import { routeLabel } from "./route-label";

/**
 * The one way to write a route handler: declare who may call it and the shape of its params, query and body; get
 * them parsed, with the database, the request's time and facts. It settles, once for every API:
 * - auth: `public`, `session` (anonymous visitors too), `user`, `admin`; `stepUp` demands a recent sign-in (403);
 * - a malformed path parameter is a 404 (no such thing), a bad query or body a 400/413/415 naming the problem;
 * - a thrown AppError becomes `{ error: { code, message } }` with its status; the database being unreachable,
 *   503 `unavailable` with Retry-After; anything else, a logged (by kind only) generic 500;
 * - every response is `Cache-Control: no-store`. A handler returns a Response, or a value sent as JSON (200).
 */

type AuthLevel = RouteAuth;
type Schema = z.ZodType | undefined;
type Parsed<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

type Principal<A extends AuthLevel> = A extends "public"
  ? { current: null }
  : A extends "session"
    ? { current: CurrentSession }
    : { current: CurrentSession; user: CurrentUser; session: AuthSession; policy: SessionPolicy };

export type RouteContext<A extends AuthLevel, P extends Schema, Q extends Schema, B extends Schema> = Principal<A> & {
  request: Request;
  db: Database;
  now: Date;
  facts: RequestFacts;
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
};

export type RouteOptions<A extends AuthLevel, P extends Schema, Q extends Schema, B extends Schema> = {
  auth: A;
  stepUp?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  /** Said when a path parameter is malformed (default "Not found."). */
  notFound?: string;
  /** The route's entry in the OpenAPI description (lib/http/openapi). */
  doc?: OperationDoc;
};

const RETRY_AFTER_SECONDS = 5;

function noStore(response: Response): Response {
  response.headers.set("cache-control", "no-store");
  return response;
}

/** Next.js' own control-flow errors (redirect, notFound) must pass through untouched. */
function isNextControlFlow(error: unknown): boolean {
  const digest = (error as { digest?: unknown } | null)?.digest;
  return typeof digest === "string" && digest.startsWith("NEXT_");
}

/** The response for anything a handler threw. */
export function errorResponse(error: unknown, where: string, reqId?: string): Response {
  if (error instanceof AppError) return jsonError(error.status, error.code, error.message, error.headers, error.reason);
  if (isDatabaseUnavailable(error)) {
    return jsonError(503, "unavailable", "The service is temporarily unavailable. Please try again in a moment.", {
      "retry-after": String(RETRY_AFTER_SECONDS),
    });
  }
  log().error({ reqId, route: where, err: describeError(error) }, "request failed");
  return jsonError(500, "server_error", "Something went wrong on our side. Please try again.");
}

async function principalFor(auth: AuthLevel, stepUp: boolean, method: string): Promise<Record<string, unknown>> {
  if (auth === "public") return { current: null };
  const current = await requireApiSession(auth, method);
  if (stepUp) await assertRecentAuthentication(current);
  return current.user ? { current, user: current.user, session: current.session, policy: current.policy } : { current };
}

export function route<A extends AuthLevel, P extends Schema = undefined, Q extends Schema = undefined, B extends Schema = undefined>(
  options: RouteOptions<A, P, Q, B>,
  handler: (context: RouteContext<A, P, Q, B>) => Promise<Response | object>,
) {
  const handle = async (
    request: Request,
    segment?: { params: Promise<Record<string, string | string[] | undefined>> },
  ): Promise<Response> => {
    const url = new URL(request.url);
    const where = `${request.method} ${url.pathname}`;
    const response = await answerFor(url, where, request, segment);
    metrics().requests.inc({ route: routeLabel(url.pathname), method: request.method, status: String(response.status) });
    return response;
  };

  // Next.js' redirect()/notFound() pass through (thrown), uncounted: they are page control flow, not API answers.
  async function answerFor(
    url: URL,
    where: string,
    request: Request,
    segment?: { params: Promise<Record<string, string | string[] | undefined>> },
  ): Promise<Response> {
    try {
      const principal = await principalFor(options.auth, options.stepUp ?? false, request.method);
      let params: unknown;
      if (options.params) {
        const parsed = options.params.safeParse(await segment?.params);
        if (!parsed.success) throw AppError.notFound(options.notFound ?? "Not found.");
        params = parsed.data;
      }
      const query = options.query ? parseOrThrow(options.query, Object.fromEntries(url.searchParams)) : undefined;
      const body = options.body ? await readJsonBody(request, options.body) : undefined;
      // The same time and facts the DAL reads through next/headers, taken from the request itself.
      const config = getConfig();
      const now = requestTime(request.headers, config.testClock);
      const facts = requestFactsFrom(request.headers, config);
      const context = { ...principal, request, db: getDb(), now, facts, params, query, body } as RouteContext<A, P, Q, B>;
      const result = await handler(context);
      return result instanceof Response ? noStore(result) : NextResponse.json(result, { headers: { "cache-control": "no-store" } });
    } catch (error) {
      if (isNextControlFlow(error)) throw error;
      return errorResponse(error, where, request.headers.get(REQUEST_ID_HEADER) ?? undefined);
    }
  }
  return withRouteSpec(handle, {
    auth: options.auth,
    stepUp: options.stepUp ?? false,
    params: options.params,
    query: options.query,
    body: options.body,
    doc: options.doc,
  });
}
