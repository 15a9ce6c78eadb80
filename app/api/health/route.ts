import { NextResponse } from "next/server";
import { z } from "zod";
import { getSql } from "@/lib/db/client";
import { databaseReachable } from "@/lib/db/health";
import { migrationState } from "@/lib/db/migration-state";
import { getConfig } from "@/lib/config";
import { route } from "@/lib/http/route";

const querySchema = z.object({ ready: z.enum(["1", "true"]).optional() });
const checkSchema = z.enum(["ok", "unreachable", "pending", "ahead", "unknown", "missing"]);
const healthSchema = z.object({
  status: z.enum(["ok", "error"]),
  db: z.enum(["ok", "unreachable"]),
  checks: z.object({ database: checkSchema, migrations: checkSchema, sessionSecret: checkSchema }).optional(),
});
type Health = z.infer<typeof healthSchema>;

/** Readiness: the database answers, its schema is this code's, and sessions can be sealed. */
async function readiness(): Promise<Health> {
  const database = (await databaseReachable(3000)) ? "ok" : "unreachable";
  let migrations: z.infer<typeof checkSchema> = "unknown";
  if (database === "ok") {
    migrations = await migrationState(getSql())
      .then((schema) => (schema.state === "current" ? "ok" : schema.state))
      .catch(() => "unknown" as const);
  }
  const sessionSecret = getConfig().SESSION_SECRET?.length ? "ok" : "missing";
  const ok = database === "ok" && migrations === "ok" && sessionSecret === "ok";
  return { status: ok ? "ok" : "error", db: database, checks: { database, migrations, sessionSecret } };
}

/**
 * GET /api/health: liveness plus a database round trip; 503 when the database cannot be reached within 3 s.
 * GET /api/health?ready=1: readiness — also the migrations current and the session secret present; 503 naming the
 * check that failed.
 */
export const GET = route(
  {
    auth: "public",
    query: querySchema,
    doc: {
      summary: "Liveness (and, with ready=1, readiness)",
      response: {
        description: "Up (503 when a check failed; `checks` with `ready=1` says which).",
        schema: healthSchema,
        example: { status: "ok", db: "ok", checks: { database: "ok", migrations: "ok", sessionSecret: "ok" } },
      },
    },
  },
  async ({ query }) => {
    const health: Health = query.ready
      ? await readiness()
      : (await databaseReachable(3000))
        ? { status: "ok", db: "ok" }
        : { status: "error", db: "unreachable" };
    return NextResponse.json(health satisfies Health, { status: health.status === "ok" ? 200 : 503 });
  },
);
